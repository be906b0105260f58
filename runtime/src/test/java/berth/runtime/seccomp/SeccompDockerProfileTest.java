package berth.runtime.seccomp;

import static berth.runtime.seccomp.SeccompTestSupport.AUDIT_ARCH_X86_64;
import static berth.runtime.seccomp.SeccompTestSupport.ENOSYS;
import static berth.runtime.seccomp.SeccompTestSupport.EPERM;
import static berth.runtime.seccomp.SeccompTestSupport.RET_ALLOW;
import static berth.runtime.seccomp.SeccompTestSupport.call;
import static berth.runtime.seccomp.SeccompTestSupport.hex;
import static berth.runtime.seccomp.SeccompTestSupport.json;
import static berth.runtime.seccomp.SeccompTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SeccompDockerProfileTest {
    /** Docker's default capability set, without and with the CAP_ prefix. */
    static final Set<String> DOCKER_CAPS = Set.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
            "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE");
    static final Set<String> DOCKER_CAPS_PREFIXED = prefixed(DOCKER_CAPS);

    private static final long CLONE_NEWNS = 0x0002_0000L;
    private static final long CLONE_NEWUSER = 0x1000_0000L;
    private static final long CLONE_NEWNET = 0x4000_0000L;
    private static final long SIGCHLD = 17;
    private static final long PTHREAD_CLONE_FLAGS = 0x003d_0f00L;

    private static Set<String> prefixed(Set<String> caps) {
        Set<String> out = new HashSet<>();
        caps.forEach(c -> out.add("CAP_" + c));
        return out;
    }

    private static SeccompProgram compileOci(Map<String, Object> oci) {
        return new SeccompCompiler().compile(SeccompSpec.fromJson(oci));
    }

    private static boolean kernelAtLeast(int kernel, int major) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(System.getProperty("os.version"));
        assertTrue(m.find());
        int k = Integer.parseInt(m.group(1));
        return k > kernel || (k == kernel && Integer.parseInt(m.group(2)) >= major);
    }

    @Test
    void defaultProfileConvertsLikeDockerd() {
        Map<String, Object> oci = DockerSeccompProfile.defaultOci(DOCKER_CAPS);
        assertEquals(oci, DockerSeccompProfile.defaultOci(DOCKER_CAPS_PREFIXED), "CAP_ prefix is optional");
        assertEquals(List.of("defaultAction", "defaultErrnoRet", "architectures", "syscalls"), List.copyOf(oci.keySet()));
        assertEquals("SCMP_ACT_ERRNO", oci.get("defaultAction"));
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), oci.get("architectures"));
        SeccompSpec spec = SeccompSpec.fromJson(oci);
        assertTrue(spec.syscalls().stream().noneMatch(r -> r.names().contains("mount")), "CAP_SYS_ADMIN rule dropped");
        assertTrue(spec.syscalls().stream().anyMatch(r -> r.names().equals(List.of("arch_prctl"))), "amd64 rule kept");
        assertTrue(spec.syscalls().stream().noneMatch(r -> r.names().contains("riscv_flush_icache")));
        assertTrue(spec.syscalls().stream().anyMatch(r -> r.names().equals(List.of("chroot"))), "CAP_SYS_CHROOT rule");
    }

    @Test
    void dockerDefaultProfileBehavesLikeDockerOnEveryX86Abi() {
        SeccompProgram p = compileOci(DockerSeccompProfile.defaultOci(DOCKER_CAPS));
        System.out.println("Docker default profile (amd64, default caps): " + p.instructionCount()
                + " BPF instructions, filterFlags=" + p.filterFlags());
        assertTrue(p.instructionCount() < 2048, "well under the 4096 limit: " + p.instructionCount());
        int ptrace = kernelAtLeast(4, 8) ? RET_ALLOW : EPERM;
        for (Abi abi : Abi.values()) {
            for (String blocked : List.of("mount", "umount2", "unshare", "setns", "keyctl", "add_key", "reboot",
                    "kexec_load", "init_module", "bpf", "perf_event_open", "open_by_handle_at", "swapon", "acct")) {
                assertEquals(hex(EPERM), hex(call(p, abi, blocked)), abi + " " + blocked);
            }
            for (String allowed : List.of("read", "write", "openat", "execve", "exit_group", "futex", "chroot",
                    "mmap", "rt_sigreturn", "close_range", "io_uring_setup")) {
                assertEquals(hex(RET_ALLOW), hex(call(p, abi, allowed)), abi + " " + allowed);
            }
            assertEquals(hex(ptrace), hex(call(p, abi, "ptrace")), abi + " ptrace (minKernel 4.8)");
            assertEquals(hex(ENOSYS), hex(call(p, abi, "clone3")), abi + " clone3 gets ENOSYS so libc falls back");

            assertEquals(RET_ALLOW, call(p, abi, "clone", SIGCHLD), abi + " fork-style clone");
            assertEquals(RET_ALLOW, call(p, abi, "clone", PTHREAD_CLONE_FLAGS), abi + " pthread_create clone");
            assertEquals(EPERM, call(p, abi, "clone", CLONE_NEWUSER | SIGCHLD), abi + " clone(CLONE_NEWUSER)");
            assertEquals(EPERM, call(p, abi, "clone", CLONE_NEWNS), abi + " clone(CLONE_NEWNS)");
            assertEquals(EPERM, call(p, abi, "clone", CLONE_NEWNET | PTHREAD_CLONE_FLAGS), abi + " clone(CLONE_NEWNET)");

            for (long persona : new long[] {0x0, 0x8, 0x20000, 0x20008, 0xffff_ffffL}) {
                assertEquals(RET_ALLOW, call(p, abi, "personality", persona), abi + " personality " + persona);
            }
            assertEquals(EPERM, call(p, abi, "personality", 0x40_0000), abi + " READ_IMPLIES_EXEC");

            assertEquals(RET_ALLOW, call(p, abi, "socket", 2, 1, 0), abi + " socket(AF_INET)");
            assertEquals(EPERM, call(p, abi, "socket", 40, 1, 0), abi + " socket(AF_VSOCK)");
        }
        assertEquals(EPERM, call(p, Abi.X86_64, "personality", -1L), "64-bit persona with high bits set");
        assertEquals(RET_ALLOW, call(p, Abi.X86_64, "arch_prctl"));
        assertEquals(RET_ALLOW, call(p, Abi.X86, "socketcall"));
        assertEquals(ENOSYS, run(p, AUDIT_ARCH_X86_64, 1000), "unknown new syscall");
    }

    @Test
    void capSysAdminUnlocksNamespaceSyscalls() {
        Set<String> caps = new HashSet<>(DOCKER_CAPS);
        caps.add("SYS_ADMIN");
        SeccompProgram p = compileOci(DockerSeccompProfile.defaultOci(caps));
        for (Abi abi : Abi.values()) {
            assertEquals(RET_ALLOW, call(p, abi, "mount"), abi + " mount");
            assertEquals(RET_ALLOW, call(p, abi, "unshare"), abi + " unshare");
            assertEquals(RET_ALLOW, call(p, abi, "clone", CLONE_NEWUSER | SIGCHLD), abi + " clone(CLONE_NEWUSER)");
            assertEquals(RET_ALLOW, call(p, abi, "clone3"), abi + " clone3");
            assertEquals(EPERM, call(p, abi, "reboot"), abi + " reboot still needs CAP_SYS_BOOT");
        }
    }

    @Test
    void archSelectsArchMapEntryAndArchRules() {
        Map<String, Object> profile = json("""
                {'defaultAction': 'SCMP_ACT_ERRNO', 'archMap': [
                   {'architecture': 'SCMP_ARCH_X86_64', 'subArchitectures': ['SCMP_ARCH_X86', 'SCMP_ARCH_X32']},
                   {'architecture': 'SCMP_ARCH_AARCH64', 'subArchitectures': ['SCMP_ARCH_ARM']},
                   {'architecture': 'SCMP_ARCH_RISCV64', 'subArchitectures': null}],
                 'syscalls': [
                   {'names': ['arch_prctl'], 'action': 'SCMP_ACT_ALLOW', 'includes': {'arches': ['amd64', 'x32']}},
                   {'names': ['cacheflush'], 'action': 'SCMP_ACT_ALLOW', 'includes': {'arches': ['arm', 'arm64']}},
                   {'names': ['clone'], 'action': 'SCMP_ACT_ALLOW', 'excludes': {'arches': ['s390x']}}]}
                """);
        Map<String, Object> amd64 = DockerSeccompProfile.toOci(profile, Set.of(), "amd64", "6.1");
        assertEquals(amd64, DockerSeccompProfile.toOci(profile, Set.of(), "x86_64", "6.1"));
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), amd64.get("architectures"));
        assertEquals(List.of(List.of("arch_prctl"), List.of("clone")), names(amd64));

        Map<String, Object> arm64 = DockerSeccompProfile.toOci(profile, Set.of(), "arm64", "6.1");
        assertEquals(List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"), arm64.get("architectures"));
        assertEquals(List.of(List.of("cacheflush"), List.of("clone")), names(arm64));

        Map<String, Object> riscv = DockerSeccompProfile.toOci(profile, Set.of(), "riscv64", "6.1");
        assertEquals(List.of("SCMP_ARCH_RISCV64"), riscv.get("architectures"));
        Map<String, Object> s390x = DockerSeccompProfile.toOci(profile, Set.of(), "s390x", "6.1");
        assertFalse(s390x.containsKey("architectures"));
        assertFalse(s390x.containsKey("syscalls"), "every rule filtered out");
    }

    @Test
    void capabilityIncludesNeedAllCapsAndExcludesAnyCap() {
        Map<String, Object> profile = json("""
                {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [
                   {'names': ['a'], 'action': 'SCMP_ACT_ALLOW', 'includes': {'caps': ['CAP_SYS_ADMIN', 'CAP_NET_ADMIN']}},
                   {'names': ['b'], 'action': 'SCMP_ACT_ALLOW', 'excludes': {'caps': ['CAP_SYS_ADMIN', 'CAP_BPF']}},
                   {'name': 'c', 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38, 'comment': 'dropped'}]}
                """);
        assertEquals(List.of(List.of("c")), names(DockerSeccompProfile.toOci(profile, Set.of("sys_admin"), "amd64", "6.1")));
        assertEquals(List.of(List.of("a"), List.of("c")),
                names(DockerSeccompProfile.toOci(profile, Set.of("CAP_SYS_ADMIN", "NET_ADMIN"), "amd64", "6.1")));
        assertEquals(List.of(List.of("b"), List.of("c")), names(DockerSeccompProfile.toOci(profile, null, "amd64", "6.1")));
        Map<String, Object> c = syscalls(DockerSeccompProfile.toOci(profile, Set.of(), "amd64", "6.1")).get(1);
        assertEquals(Map.of("names", List.of("c"), "action", "SCMP_ACT_ERRNO", "errnoRet", 38L), c);
    }

    @Test
    void minKernelIsComparedWithTheRunningKernel() {
        Map<String, Object> docker = json("""
                {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [
                   {'names': ['ptrace'], 'action': 'SCMP_ACT_ALLOW', 'includes': {'minKernel': '4.8'}},
                   {'names': ['old'], 'action': 'SCMP_ACT_ALLOW', 'excludes': {'minKernel': '5.4'}}]}
                """);
        assertEquals(List.of(List.of("old")), names(DockerSeccompProfile.toOci(docker, Set.of(), "amd64", "4.4.0-210-generic")));
        assertEquals(List.of(List.of("ptrace"), List.of("old")), names(DockerSeccompProfile.toOci(docker, Set.of(), "amd64", "4.8")));
        assertEquals(List.of(List.of("ptrace")), names(DockerSeccompProfile.toOci(docker, Set.of(), "amd64", "5.4.0")));
        assertEquals(List.of(List.of("ptrace")), names(DockerSeccompProfile.toOci(docker, Set.of(), "amd64", "6.18.44-fc-v782")));
        assertEquals(List.of(List.of("ptrace")), names(DockerSeccompProfile.toOci(docker, Set.of(), "amd64", "10.0")));

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> DockerSeccompProfile.toOci(
                json("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['x'], 'action': 'SCMP_ACT_ALLOW', "
                        + "'includes': {'minKernel': 'four'}}]}"), Set.of(), "amd64", "6.1"));
        assertEquals("profile.syscalls[0].includes.minKernel: invalid kernel version \"four\", expected \"<kernel>.<major>\"",
                bad.getMessage());
    }

    @Test
    void oldKernelLosesPtraceInTheDefaultProfile() {
        @SuppressWarnings("unchecked")
        Map<String, Object> profile = berth.runtime.Json.parse(readDefaultProfile(), "docker-default.json");
        SeccompProgram old = compileOci(DockerSeccompProfile.toOci(profile, DOCKER_CAPS, "amd64", "4.4.0"));
        SeccompProgram current = compileOci(DockerSeccompProfile.toOci(profile, DOCKER_CAPS, "amd64", "5.15.0"));
        assertEquals(EPERM, call(old, Abi.X86_64, "ptrace"));
        assertEquals(RET_ALLOW, call(current, Abi.X86_64, "ptrace"));
    }

    @Test
    void malformedProfilesAreRejectedOrDisableSeccomp() {
        assertNull(DockerSeccompProfile.toOci(json("{}"), Set.of(), "amd64"), "no defaultAction and no syscalls");
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> DockerSeccompProfile.toOci(
                json("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'name': 'a', 'names': ['b'], 'action': 'SCMP_ACT_ALLOW'}]}"),
                Set.of(), "amd64"));
        assertEquals("profile.syscalls[0]: both 'name' and 'names' are specified, use either 'name' or 'names'", both.getMessage());
        IllegalArgumentException arches = assertThrows(IllegalArgumentException.class, () -> DockerSeccompProfile.toOci(
                json("{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_X86'], "
                        + "'archMap': [{'architecture': 'SCMP_ARCH_X86_64'}]}"), Set.of(), "amd64"));
        assertEquals("profile: both 'architectures' and 'archMap' are specified, use either 'architectures' or 'archMap'",
                arches.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> DockerSeccompProfile.toOci(
                json("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['a'], 'action': 'SCMP_ACT_ALLOW', "
                        + "'includes': {'caps': 'CAP_SYS_ADMIN'}}]}"), Set.of(), "amd64"));
        assertEquals("profile.syscalls[0].includes.caps: must be an array, got string", type.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> syscalls(Map<String, Object> oci) {
        return (List<Map<String, Object>>) oci.getOrDefault("syscalls", List.of());
    }

    private static List<Object> names(Map<String, Object> oci) {
        return syscalls(oci).stream().map(s -> s.get("names")).toList();
    }

    private static byte[] readDefaultProfile() {
        try (var in = DockerSeccompProfile.class.getResourceAsStream("docker-default.json")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
