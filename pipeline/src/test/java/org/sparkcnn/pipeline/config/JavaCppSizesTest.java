package org.sparkcnn.pipeline.config;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkcnn.pipeline.error.InvalidConfigException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JavaCPP's size syntax, checked against JavaCPP 1.5.7's own {@code Pointer.parseBytes}. */
class JavaCppSizesTest {
    private static final long HEAP = 6L << 30;

    @ParameterizedTest
    @ValueSource(strings = {"6GB", "6g", "6G", "6gb", "6Gb", "1024m", "1024M", "1024mb", "512k", "512KB", "2t", "2TB",
            "1073741824", "0", "50%", "100%", "150%", "1%", "6 G", "6g ", "6\tg", "007g", "\u0666g"})
    void everyFormJavaCppAcceptsParsesToWhatJavaCppComputes(String value) {
        assertEquals(Pointer.parseBytes(value, HEAP), JavaCppSizes.parse(value, HEAP), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "g", "-1", "-1g", " 6g", "6.5g", "6,5g", "1e9", "6gib", "6GiB", "6 GB B", "6x",
            "six", "50 percent", "0x10", "+6g", "99999999999999999999"})
    void whatJavaCppRefusesIsRefused(String value) {
        assertThrows(NumberFormatException.class, () -> Pointer.parseBytes(value, HEAP), "JavaCPP refuses " + value);
        assertThrows(NumberFormatException.class, () -> JavaCppSizes.parse(value, HEAP), value);
    }

    @Test
    void overflowJavaCppWouldSwallowIsRefused() {
        assertTrue(!java.math.BigInteger.valueOf(Pointer.parseBytes("99999999999t", HEAP))
                .equals(java.math.BigInteger.valueOf(99999999999L).shiftLeft(40)), "JavaCPP wraps around");
        assertThrows(NumberFormatException.class, () -> JavaCppSizes.parse("99999999999t", HEAP));
        assertThrows(NumberFormatException.class, () -> JavaCppSizes.parse("9999999999%", HEAP));
        assertEquals(8191L << 40, JavaCppSizes.parse("8191t", HEAP));
    }

    @Test
    void optionValueFollowsTheJvmAndJavaCpp() {
        String max = JavaCppSizes.MAX_BYTES;
        assertEquals("6G", JavaCppSizes.optionValue("-Xss4m -Dorg.bytedeco.javacpp.maxbytes=6G -Dfoo=1", max));
        assertEquals("8G", JavaCppSizes.optionValue("-Dorg.bytedeco.javacpp.maxbytes=6G -Dorg.bytedeco.javacpp.maxbytes=8G",
                max), "the JVM keeps the last -D");
        assertEquals("2G", JavaCppSizes.optionValue("-Dorg.bytedeco.javacpp.maxBytes=2G -Dorg.bytedeco.javacpp.maxbytes=8G",
                max), "JavaCPP prefers the camel-case spelling");
        assertEquals("6 G", JavaCppSizes.optionValue("-Dorg.bytedeco.javacpp.maxbytes='6 G'", max), "quoted as Spark splits");
        assertEquals("6 G", JavaCppSizes.optionValue("\"-Dorg.bytedeco.javacpp.maxbytes=6 G\" -Dx=1", max));
        assertEquals("", JavaCppSizes.optionValue("-Dorg.bytedeco.javacpp.maxbytes", max));
        assertEquals("10G", JavaCppSizes.optionValue("-Dorg.bytedeco.javacpp.maxbytes=6G "
                + "-Dorg.bytedeco.javacpp.maxphysicalbytes=10G", JavaCppSizes.MAX_PHYSICAL_BYTES));
        assertNull(JavaCppSizes.optionValue("-Dorg.bytedeco.javacpp.maxbytesX=6G", max));
        assertNull(JavaCppSizes.optionValue(null, max));
        assertEquals(List.of("a", "b c", "d"), JavaCppSizes.splitJavaOptions(" a  'b c'\td "));
    }

    @Test
    void thisJvmsOwnSizesAreValidatedBeforeJavaCppReadsThem() {
        String camel = "org.bytedeco.javacpp.maxPhysicalBytes";
        String before = System.getProperty(camel);
        try {
            System.setProperty(camel, "10GiB");
            org.sparkcnn.pipeline.error.BadInputException e = assertThrows(
                    org.sparkcnn.pipeline.error.BadInputException.class, JavaCppSizes::validateThisJvm);
            assertTrue(e.getMessage().contains("-Dorg.bytedeco.javacpp.maxPhysicalBytes=10GiB"), e.getMessage());
            System.setProperty(camel, "75%");
            JavaCppSizes.validateThisJvm();
        } finally {
            if (before == null) {
                System.clearProperty(camel);
            } else {
                System.setProperty(camel, before);
            }
        }
    }

    @Test
    void executorOptionsAreValidatedNamingTheOptionAndValue() {
        JavaCppSizes.validateExecutorOptions("-Dorg.bytedeco.javacpp.maxbytes=50% -Dorg.bytedeco.javacpp.maxphysicalbytes=10gb");
        JavaCppSizes.validateExecutorOptions("-Dorg.bytedeco.javacpp.maxbytes= -Dorg.bytedeco.javacpp.maxphysicalbytes");
        JavaCppSizes.validateExecutorOptions(null);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> JavaCppSizes.validateExecutorOptions(
                "-Xss4m -Dorg.bytedeco.javacpp.maxphysicalbytes=10GiB"));
        assertEquals("spark.executor.extraJavaOptions", e.key());
        assertTrue(e.getMessage().contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=10GiB"), e.getMessage());
        e = assertThrows(InvalidConfigException.class, () -> JavaCppSizes.validateExecutorOptions(
                "-Dorg.bytedeco.javacpp.maxBytes=6.5G"));
        assertTrue(e.getMessage().contains("-Dorg.bytedeco.javacpp.maxBytes=6.5G"), e.getMessage());
    }
}
