package dev.hyperform.modules.spdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Masks as SPDK v23.09's spdk_cpuset_parse reads them (lib/util/cpuset.c) and as vhost_get_controllers shows them
 * back; "refused" where SPDK answers -32602 "Invalid argument" (docs/spdk.md, "Checked against the real target", says
 * which spellings were also sent to a real target).
 */
class CpuMaskTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0x1       | 0x1",
            "1         | 0x1",
            "0x01      | 0x1",
            "10        | 0x10",
            "0x80      | 0x80",
            "0XfF      | 0xff",
            "0x        | 0x0",
            "[0]       | 0x1",
            "[0,7]     | 0x81",
            "[1-3]     | 0xe",
            "[0, 2-3 ] | 0xd",
            "[+1]      | 0x2",
            "[0]junk   | 0x1",
            "'  0x3 '  | 0x3",
            "zz        | refused",
            "0x1g      | refused",
            "[]        | refused",
            "[3-1]     | refused",
            "[0,]      | refused",
            "[0        | refused",
            "[1024]    | refused",
            "[-1]      | refused",
            "''        | refused",
            "0x1,0     | refused"})
    void readsMasksAsSpdkDoes(String text, String shown) {
        assertEquals(shown, CpuMask.parse(text).map(CpuMask::hex).orElse("refused"));
    }
}
