/*
 * fuzz_policy.c -- the winback policy-file parser on arbitrary text.
 *
 * Properties: no crash, no hang; a file the parser accepts leaves a policy
 * that validates; a file it refuses is reported with an exit code from the
 * documented set.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../programs/winback/tool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wb_policy p;
    if (size == 0) return 0;
    FILE *f = fmemopen((void *)(uintptr_t)data, size, "r");
    if (f == NULL) return 0;
    if (wb_policy_init(&p) != WB_OK) abort();
    int rc = load_policy_stream("fuzz", f, &p);
    fclose(f);
    if (rc == EXIT_OK && wb_policy_validate(&p, NULL) != WB_OK) abort();
    if (rc != EXIT_OK && rc != EXIT_DATA && rc != EXIT_IO) abort();
    return 0;
}
