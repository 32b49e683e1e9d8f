/*
 * status.c -- status messages and the runtime version.
 *
 * Both tables come from WB_STATUS_MAP in winback.h, so a code, its name and
 * its message are written in exactly one place.
 */
#include "core/internal.h"

const char *wb_strerror(int status)
{
    switch (status) {
#define WB_STATUS_MSG_(name, value, msg) case value: return msg;
        WB_STATUS_MAP(WB_STATUS_MSG_)
#undef WB_STATUS_MSG_
    default:
        return "unknown status";
    }
}

const char *wb_error_name(int status)
{
    switch (status) {
#define WB_STATUS_NAME_(name, value, msg) case value: return #name;
        WB_STATUS_MAP(WB_STATUS_NAME_)
#undef WB_STATUS_NAME_
    default:
        return "UNKNOWN";
    }
}

unsigned wb_version_number(void)
{
    return WB_VERSION_NUMBER;
}

const char *wb_version_string(void)
{
    return WB_VERSION_STRING;
}
