/*
 * tests/fuzz/fuzz_standalone.c - a main for a fuzz target where libFuzzer is
 * missing: each file named on the command line (or stdin) goes once through
 * LLVMFuzzerTestOneInput(). Linked with every target by tests/fuzz/run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 16384

static int run_stream(FILE *f)
{
    static uint8_t buf[MAX_INPUT];
    size_t n = fread(buf, 1, sizeof(buf), f);
    return LLVMFuzzerTestOneInput(buf, n);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return run_stream(stdin);
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        run_stream(f);
        fclose(f);
    }
    printf("ran %d input(s)\n", argc - 1);
    return 0;
}
