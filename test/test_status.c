/* test_status.c -- status codes, messages, names and the version. */
#include "wb_test.h"

static void codes_are_pinned(void **state)
{
    (void)state;
    /* Values are part of the ABI: a change here breaks every host. */
    assert_int_equal(WB_OK, 0);
    assert_int_equal(WB_EMISUSE, 1);
    assert_int_equal(WB_ESTRUCT, 2);
    assert_int_equal(WB_EINVAL, 10);
    assert_int_equal(WB_EDATE, 11);
    assert_int_equal(WB_ESYNTAX, 12);
    assert_int_equal(WB_EFUTURE, 13);
    assert_int_equal(WB_EORDER, 14);
    assert_int_equal(WB_ESEVERITY, 15);
    assert_int_equal(WB_EPOLICY, 20);
    assert_int_equal(WB_EKEY, 21);
    assert_int_equal(WB_ERANGE, 30);
    assert_int_equal(WB_EZERO, 31);
    assert_int_equal(WB_ENOMEM, 40);
    assert_int_equal(WB_EBUFFER, 41);
    assert_int_equal(WB_ETOOLONG, 42);
    assert_int_equal(WB_ENOTFOUND, 43);
    assert_int_equal(WB_EIO, 44);
}

static void every_code_has_a_distinct_message_and_name(void **state)
{
    static const int codes[] = {
#define CODE_(name, value, msg) value,
        WB_STATUS_MAP(CODE_)
#undef CODE_
    };
    size_t n = sizeof codes / sizeof codes[0];
    (void)state;
    for (size_t i = 0; i < n; i++) {
        assert_string_not_equal(wb_strerror(codes[i]), "unknown status");
        assert_string_not_equal(wb_error_name(codes[i]), "UNKNOWN");
        for (size_t j = 0; j < i; j++) {
            assert_string_not_equal(wb_strerror(codes[i]), wb_strerror(codes[j]));
            assert_string_not_equal(wb_error_name(codes[i]), wb_error_name(codes[j]));
        }
    }
    assert_string_equal(wb_error_name(WB_ERANGE), "ERANGE");
    assert_string_equal(wb_strerror(WB_OK), "success");
}

static void unknown_codes_are_named_unknown(void **state)
{
    (void)state;
    assert_string_equal(wb_strerror(-1), "unknown status");
    assert_string_equal(wb_strerror(9), "unknown status");
    assert_string_equal(wb_strerror(1000), "unknown status");
    assert_string_equal(wb_error_name(-5), "UNKNOWN");
}

static void version_matches_header(void **state)
{
    (void)state;
    assert_int_equal(wb_version_number(), WB_VERSION_NUMBER);
    assert_string_equal(wb_version_string(), WB_VERSION_STRING);
    assert_int_equal(WB_VERSION_NUMBER, WB_VERSION_MAJOR * 10000 +
                     WB_VERSION_MINOR * 100 + WB_VERSION_PATCH);
}

static void enumeration_names(void **state)
{
    (void)state;
    assert_string_equal(wb_class_name(WB_CLASS_NEVER), "never");
    assert_string_equal(wb_class_name(WB_CLASS_TIER3), "lapsed-3");
    assert_string_equal(wb_class_name(6), "unknown");
    assert_string_equal(wb_class_name(-1), "unknown");
    assert_string_equal(wb_escalation_name(WB_ESCALATE_COMPANY_HEAD), "company-head");
    assert_string_equal(wb_escalation_name(0), "unknown");
    assert_string_equal(wb_reason_name(WB_REASON_CONFLICT), "conflict");
    assert_string_equal(wb_reason_name(WB_REASON_COUNT), "unknown");
    assert_string_equal(wb_approach_name(WB_APPROACH_KEEP_IN_TOUCH), "keep-in-touch");
    assert_string_equal(wb_action_name(WB_ACTION_EXCLUDE), "exclude");
    assert_string_equal(wb_exclusion_name(WB_EXCL_LOST_TWICE), "lost-twice");
    assert_string_equal(wb_exclusion_name(WB_EXCL_COOLING_OFF), "cooling-off");
    assert_string_equal(wb_exclusion_name(WB_EXCL_TOXIC | WB_EXCL_UNECONOMIC), "unknown");
    assert_string_equal(wb_exclusion_name(0), "unknown");
    assert_string_equal(wb_exclusion_name(1u << 31), "unknown");
    assert_string_equal(wb_signal_name(WB_SIGNAL_REQUESTS), "requests-without-purchase");
    assert_string_equal(wb_severity_name(1), "trifle");
    assert_string_equal(wb_severity_name(5), "end-of-the-world");
    assert_string_equal(wb_severity_name(0), "unknown");
    assert_string_equal(wb_severity_name(6), "unknown");
    assert_string_equal(wb_health_name(WB_HEALTH_ACT), "act");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_are_pinned),
        cmocka_unit_test(every_code_has_a_distinct_message_and_name),
        cmocka_unit_test(unknown_codes_are_named_unknown),
        cmocka_unit_test(version_matches_header),
        cmocka_unit_test(enumeration_names),
    };
    return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
