package berth.runtime.seccomp;

import static berth.runtime.seccomp.SeccompTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import berth.runtime.seccomp.SeccompSpec.ArgCondition;
import berth.runtime.seccomp.SeccompSpec.SyscallRule;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeccompSpecTest {

    private static String rejected(String singleQuotedJson) {
        return rejected(json(singleQuotedJson));
    }

    private static String rejected(Map<String, Object> json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeccompSpec.fromJson(json));
        assertFalse(e.getMessage().contains("\n"), "message must be one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void parsesAFullSpec() {
        SeccompSpec spec = SeccompSpec.fromJson(json("""
                {'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 13,
                 'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
                 'flags': ['SECCOMP_FILTER_FLAG_LOG'],
                 'syscalls': [
                   {'names': ['read', 'write'], 'action': 'SCMP_ACT_ALLOW'},
                   {'names': ['clone'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 22,
                    'args': [{'index': 0, 'value': 2114060288, 'valueTwo': 0, 'op': 'SCMP_CMP_MASKED_EQ'}]}]}
                """));
        assertEquals(new SeccompSpec("SCMP_ACT_ERRNO", 13, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
                List.of("SECCOMP_FILTER_FLAG_LOG"), List.of(
                        new SyscallRule(List.of("read", "write"), "SCMP_ACT_ALLOW", null, List.of()),
                        new SyscallRule(List.of("clone"), "SCMP_ACT_ERRNO", 22,
                                List.of(new ArgCondition(0, 2114060288L, 0, "SCMP_CMP_MASKED_EQ"))))), spec);
    }

    @Test
    void absentListsAreEmptyAndNullsAreAbsent() {
        SeccompSpec spec = SeccompSpec.fromJson(json(
                "{'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': null, 'listenerPath': '', 'syscalls': null}"));
        assertEquals(new SeccompSpec("SCMP_ACT_ALLOW", null, List.of(), List.of(), List.of()), spec);
    }

    @Test
    void acceptsEveryNumberTypeAJsonLibraryMayProduce() {
        for (Object value : List.of(7, 7L, BigInteger.valueOf(7), 7.0, new java.math.BigDecimal("7.000"))) {
            Map<String, Object> arg = new LinkedHashMap<>(Map.of("index", 1, "op", "SCMP_CMP_EQ"));
            arg.put("value", value);
            Map<String, Object> rule = Map.of("names", List.of("read"), "action", "SCMP_ACT_ALLOW", "args", List.of(arg));
            SeccompSpec spec = SeccompSpec.fromJson(Map.of("defaultAction", "SCMP_ACT_ERRNO", "syscalls", List.of(rule)));
            assertEquals(new ArgCondition(1, 7, 0, "SCMP_CMP_EQ"), spec.syscalls().getFirst().args().getFirst());
        }
    }

    @Test
    void unsigned64BitValuesUseTheFullRange() {
        Map<String, Object> arg = Map.of("index", 0, "op", "SCMP_CMP_EQ",
                "value", new BigInteger("18446744073709551615"), "valueTwo", new BigInteger("9223372036854775808"));
        SeccompSpec spec = SeccompSpec.fromJson(Map.of("defaultAction", "SCMP_ACT_ERRNO", "syscalls",
                List.of(Map.of("names", List.of("read"), "action", "SCMP_ACT_ALLOW", "args", List.of(arg)))));
        assertEquals(new ArgCondition(0, -1L, Long.MIN_VALUE, "SCMP_CMP_EQ"), spec.syscalls().getFirst().args().getFirst());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
        {'defaultAction': 'SCMP_ACT_FOO'} | linux.seccomp.defaultAction: unknown action "SCMP_ACT_FOO"
        {'syscalls': []} | linux.seccomp.defaultAction: is required
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['a'], 'action': 'SCMP_ACT_ALLOW'}, {'names': ['b'], 'action': 'SCMP_ACT_ALLOW'}, {'names': ['c'], 'action': 'SCMP_ACT_ALLOW'}, {'names': ['d'], 'action': 'SCMP_ACT_FOO'}]} | linux.seccomp.syscalls[3].action: unknown action "SCMP_ACT_FOO"
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, 'value': 1, 'op': 'SCMP_CMP_FOO'}]}]} | linux.seccomp.syscalls[0].args[0].op: unknown operator "SCMP_CMP_FOO"
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 6, 'value': 1, 'op': 'SCMP_CMP_EQ'}]}]} | linux.seccomp.syscalls[0].args[0].index: must be 0..5, got 6
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'errnoRet': 1}]} | linux.seccomp.syscalls[0].errnoRet: is only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_ALLOW
        {'defaultAction': 'SCMP_ACT_KILL', 'defaultErrnoRet': 1} | linux.seccomp.defaultErrnoRet: is only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_KILL
        {'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_Z80']} | linux.seccomp.architectures[1]: unknown architecture "SCMP_ARCH_Z80"
        {'defaultAction': 'SCMP_ACT_ERRNO', 'flags': ['SECCOMP_FILTER_FLAG_NEW_LISTENER']} | linux.seccomp.flags[0]: unknown flag "SECCOMP_FILTER_FLAG_NEW_LISTENER"
        {'defaultAction': 'SCMP_ACT_NOTIFY'} | linux.seccomp.defaultAction: SCMP_ACT_NOTIFY is not supported
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['ioctl'], 'action': 'SCMP_ACT_NOTIFY'}]} | linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY is not supported
        {'defaultAction': 'SCMP_ACT_ERRNO', 'listenerPath': '/run/agent.sock'} | linux.seccomp.listenerPath: seccomp notify (SCMP_ACT_NOTIFY listener) is not supported
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': [], 'action': 'SCMP_ACT_ALLOW'}]} | linux.seccomp.syscalls[0].names: must list at least one syscall
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'action': 'SCMP_ACT_ALLOW'}]} | linux.seccomp.syscalls[0].names: is required
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read', '']}]} | linux.seccomp.syscalls[0].action: is required
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read', ''], 'action': 'SCMP_ACT_ALLOW'}]} | linux.seccomp.syscalls[0].names[1]: must be a non-empty syscall name
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': 'read', 'action': 'SCMP_ACT_ALLOW'}]} | linux.seccomp.syscalls[0].names: must be an array, got string
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read', 7], 'action': 'SCMP_ACT_ALLOW'}]} | linux.seccomp.syscalls[0].names[1]: must be a string, got number 7
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'comment': 'x'}]} | linux.seccomp.syscalls[0]: unknown field "comment"
        {'defaultAction': 'SCMP_ACT_ERRNO', 'archMap': []} | linux.seccomp: unknown field "archMap"
        {'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': -1} | linux.seccomp.defaultErrnoRet: must be an unsigned 64-bit integer, got -1
        {'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 70000} | linux.seccomp.defaultErrnoRet: must be 0..65535, got 70000
        {'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 1.5} | linux.seccomp.defaultErrnoRet: must be an unsigned integer, got 1.5
        {'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': true} | linux.seccomp.defaultErrnoRet: must be an unsigned integer, got boolean
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, 'value': 18446744073709551616, 'op': 'SCMP_CMP_EQ'}]}]} | linux.seccomp.syscalls[0].args[0].value: must be an unsigned 64-bit integer, got 18446744073709551616
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'value': 1, 'op': 'SCMP_CMP_EQ'}]}]} | linux.seccomp.syscalls[0].args[0].index: is required
        {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'args': [3]}]} | linux.seccomp.syscalls[0].args[0]: must be an object, got number 3
        """)
    void rejectsBadInputWithOneLineNamingTheField(String input, String message) {
        assertEquals(message, rejected(input));
    }

    @Test
    void rejectsANullObject() {
        assertEquals("linux.seccomp: must be an object, got null", rejected((Map<String, Object>) null));
    }

    @Test
    void compilerValidatesSpecsBuiltWithoutFromJson() {
        SeccompCompiler compiler = new SeccompCompiler();
        List<SyscallRule> withNull = new ArrayList<>();
        withNull.add(null);
        record Case(SeccompSpec spec, String message) {}
        for (Case c : List.of(
                new Case(new SeccompSpec("SCMP_ACT_ERRNO", null, null, null, List.of(new SyscallRule(
                        List.of("read"), "SCMP_ACT_ALLOW", null, List.of(new ArgCondition(-1, 0, 0, "SCMP_CMP_EQ"))))),
                        "linux.seccomp.syscalls[0].args[0].index: must be 0..5, got -1"),
                new Case(new SeccompSpec(null, null, null, null, null),
                        "linux.seccomp.defaultAction: unknown action null"),
                new Case(new SeccompSpec("SCMP_ACT_ERRNO", null, null, null, withNull),
                        "linux.seccomp.syscalls[0]: must not be null"),
                new Case(new SeccompSpec("SCMP_ACT_ERRNO", 65536, null, null, null),
                        "linux.seccomp.defaultErrnoRet: must be 0..65535, got 65536"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> compiler.compile(c.spec()));
            assertEquals(c.message(), e.getMessage());
        }
    }

    @Test
    void recordsAreImmutableCopies() {
        List<String> names = new ArrayList<>(List.of("read"));
        SyscallRule rule = new SyscallRule(names, "SCMP_ACT_ALLOW", null, null);
        names.add("write");
        assertEquals(List.of("read"), rule.names());
        assertEquals(List.of(), rule.args());
        assertThrows(UnsupportedOperationException.class, () -> rule.names().add("x"));
    }
}
