/**
 * Compiles the OCI {@code linux.seccomp} object into a classic-BPF seccomp program in pure Java, following
 * libseccomp and runc semantics: {@link berth.runtime.seccomp.SeccompSpec#fromJson} parses and validates the
 * JSON, {@link berth.runtime.seccomp.SeccompCompiler} resolves syscall names per architecture (x86_64, x86,
 * x32; tables generated from the kernel UAPI headers by {@code generate-syscall-tables.sh}) and emits a
 * kernel-valid filter (arch dispatch, x32 split, runc's {@code -ENOSYS} stub for syscalls newer than the
 * profile, rules in profile order with the first matching rule winning), and
 * {@link berth.runtime.seccomp.DockerSeccompProfile} turns a Docker-format profile into OCI form the way
 * dockerd does. The bundled {@code docker-default.json} is Docker's default profile, copied unmodified from
 * {@code profiles/seccomp/default.json} in the moby/moby repository (Apache License 2.0).
 */
package berth.runtime.seccomp;
