/**
 * Linux system calls for berth, through the Foreign Function &amp; Memory API. {@link berth.sys.Syscalls}
 * is the typed surface the rest of berth uses; {@link berth.sys.LinuxSyscalls} is the real
 * implementation and {@link berth.sys.RecordingSyscalls} a recording fake for unit tests. Memory
 * segments and method handles never leave this package; failures surface as {@link berth.sys.SysException},
 * which carries the operation, the path and the errno.
 */
package berth.sys;
