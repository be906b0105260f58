package berth.runtime.plan;

import berth.runtime.seccomp.SeccompCompiler;
import berth.runtime.json.InvalidSpecException;
import berth.runtime.spec.Spec;
import berth.runtime.spec.SpecParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static berth.runtime.TestSpecs.json;
import static berth.runtime.TestSpecs.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanCompilerTest {
    private static final HostFacts HOST = new HostFacts(true);
    private final PlanCompiler compiler = new PlanCompiler(SeccompCompiler::new);

    @TempDir
    Path bundle;

    private Plan create(Map<String, Object> config, boolean withFifo) {
        return create(config, withFifo, withFifo ? Monitor.NONE : Monitor.FOREGROUND);
    }

    private Plan create(Map<String, Object> config, boolean withFifo, Monitor monitor) {
        Spec spec = SpecParser.parse(config);
        return compiler.create(spec, new PlanCompiler.CreateContext(bundle.resolve("rootfs"), bundle,
                withFifo ? bundle.resolve("exec.fifo") : null, "/run/console.sock", 3, false, false, monitor,
                Map.of("cpu", Path.of("/sys/fs/cgroup/cpu/c1")), HOST));
    }

    private static List<String> codes(Plan p) {
        return p.ops().stream().map(o -> o.code().name()).toList();
    }

    private static int index(Plan p, String description) {
        for (int i = 0; i < p.ops().size(); i++) if (p.ops().get(i).description().equals(description)) return i;
        throw new AssertionError("no operation \"" + description + "\" in " + p.ops());
    }

    @Test
    void cloneCarriesTheNewNamespacesAndTheChildWaitsForTheRuntime() {
        Plan p = create(minimal(""), true);
        assertEquals(Op.mkfifo(bundle.resolve("exec.fifo").toString(), 0600), p.ops().getFirst());
        Op clone = p.ops().get(1);
        assertEquals(Op.Code.CLONE, clone.code());
        assertEquals(Namespaces.CLONE_NEWNS | Namespaces.CLONE_NEWPID | Namespaces.CLONE_NEWUTS, clone.args().getFirst());
        assertEquals(0L, clone.args().get(1)); // create: the executor leaves the container to the caller
        assertEquals(Op.Code.WAIT_GO, p.ops().get(2).code());
    }

    @Test
    void mountNamespaceIsRequired() {
        var config = json("{'ociVersion':'1.2.0','root':{'path':'rootfs'},'process':{'args':['sh'],'cwd':'/'},"
                + "'linux':{'namespaces':[{'type':'pid'}]}}");
        assertThrows(InvalidSpecException.class, () -> create(config, true));
    }

    @Test
    void userFirstThenOthersWhenJoining() {
        Plan p = create(json("{'ociVersion':'1.2.0','root':{'path':'rootfs'},'process':{'args':['sh'],'cwd':'/'},"
                + "'linux':{'namespaces':[{'type':'network','path':'/proc/1/ns/net'},{'type':'user','path':'/proc/1/ns/user'},"
                + "{'type':'mount'}]}}"), true);
        assertEquals("join user namespace /proc/1/ns/user", p.ops().get(0).description());
        assertEquals("join network namespace /proc/1/ns/net", p.ops().get(1).description());
        assertEquals(Op.Code.MKFIFO, p.ops().get(2).code());
        assertEquals(Namespaces.CLONE_NEWNS, p.ops().get(3).args().getFirst());
    }

    @Test
    void rootfsIsBoundBeforeMountsAndPivotComesAfterThemAndTheConsole() throws Exception {
        Files.createDirectories(bundle.resolve("data"));
        Plan p = create(minimal("'mounts':[{'destination':'/proc','type':'proc','source':'proc'},"
                + "{'destination':'/data','type':'bind','source':'data','options':['rbind','ro','nosuid']}],"
                + "'linux':{'namespaces':[{'type':'mount'}]}"), true);
        int bindRoot = index(p, "bind mount the root filesystem " + bundle.resolve("rootfs"));
        int proc = index(p, "mount proc on /proc");
        int data = index(p, "bind mount " + bundle.resolve("data") + " on /data");
        int remount = index(p, "remount /data");
        int pivot = index(p, "pivot_root to " + bundle.resolve("rootfs"));
        assertTrue(bindRoot < proc && proc < data && data < remount && remount < pivot, p.ops().toString());
        // the bind itself carries only MS_BIND|MS_REC; ro and nosuid come with the remount (runc)
        assertEquals(4096L | 16384L, p.ops().get(data).args().get(3));
        assertEquals(1L | 2L, p.ops().get(remount).args().get(1));
    }

    @Test
    void bindMountOfAFileCreatesAFileAsMountPoint() throws Exception {
        Files.writeString(bundle.resolve("hosts"), "x");
        Plan p = create(minimal("'mounts':[{'destination':'/etc/hosts','type':'bind','source':'" + bundle.resolve("hosts") + "','options':['bind']}]"), true);
        int mkdir = index(p, "mkdir /etc");
        int mkfile = index(p, "create /etc/hosts");
        assertTrue(mkdir < mkfile);
    }

    @Test
    void missingBindSourceIsAClearError() {
        String msg = assertThrows(InvalidSpecException.class, () -> create(
                minimal("'mounts':[{'destination':'/x','type':'bind','source':'/nonexistent/src','options':['bind']}]"), true)).getMessage();
        assertEquals("mounts: bind source /nonexistent/src for /x does not exist", msg);
    }

    @Test
    void defaultDevicesAreCreatedWithMknodOrBoundInAUserNamespace() {
        Plan p = create(minimal(""), true);
        Op nul = p.ops().get(index(p, "mknod /dev/null"));
        assertEquals(List.of("/dev/null", 0020666L, 1L, 3L, 0L, 0L), nul.args());
        index(p, "symlink /dev/ptmx -> pts/ptmx");
        index(p, "symlink /dev/fd -> /proc/self/fd");

        Plan userns = create(json("{'ociVersion':'1.2.0','root':{'path':'rootfs'},'process':{'args':['sh'],'cwd':'/'},"
                + "'linux':{'namespaces':[{'type':'mount'},{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
                + "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]}}"), true);
        assertFalse(codes(userns).contains("MKNOD_IN_ROOT"));
        index(userns, "bind mount device /dev/null");
        index(userns, "become 0:0");
    }

    @Test
    void createWaitsOnTheFifoAndRunOnTheSyncSocket() {
        Plan withFifo = create(minimal(""), true);
        assertTrue(codes(withFifo).contains("OPEN_FIFO"));
        assertTrue(codes(withFifo).indexOf("NOTIFY") < codes(withFifo).indexOf("WAIT_FIFO"));
        Plan run = create(minimal(""), false);
        assertFalse(codes(run).contains("OPEN_FIFO"));
        assertFalse(codes(run).contains("MKFIFO"));
        assertEquals("WAIT_GO", codes(run).get(codes(run).indexOf("NOTIFY") + 1));
    }

    @Test
    void credentialsCapabilitiesAndSeccompFollowRuncsOrder() {
        String caps = "'capabilities':{'bounding':['CAP_KILL','CAP_CHOWN'],'effective':['CAP_KILL'],'permitted':['CAP_KILL'],"
                + "'inheritable':[],'ambient':['CAP_KILL','CAP_CHOWN']}";
        String seccomp = "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_ERRNO'}]}";
        Plan nnp = create(json("{'ociVersion':'1.2.0','root':{'path':'rootfs'},'process':{'args':['sh'],'cwd':'/',"
                + "'user':{'uid':1000,'gid':1000,'additionalGids':[5,6]},'noNewPrivileges':true," + caps + "},"
                + "'linux':{'namespaces':[{'type':'mount'}]," + seccomp + "}}"), true);
        List<String> c = codes(nnp);
        assertTrue(c.indexOf("WAIT_FIFO") < c.indexOf("BOUNDING"));
        assertTrue(c.indexOf("BOUNDING") < c.indexOf("CREDS") && c.indexOf("CREDS") < c.indexOf("CAPS"));
        assertTrue(c.indexOf("CAPS") < c.indexOf("NO_NEW_PRIVS") && c.indexOf("NO_NEW_PRIVS") < c.indexOf("SECCOMP"));
        assertEquals(List.of("CLOSE_FDS", "EXEC"), c.subList(c.size() - 2, c.size()));
        Op creds = nnp.ops().get(c.indexOf("CREDS"));
        assertEquals(List.of(1000L, 1000L, "5,6"), creds.args());
        Op capsOp = nnp.ops().get(c.indexOf("CAPS"));
        // ambient is cut to what is both permitted and inheritable, as the kernel would refuse the rest
        assertEquals(List.of(1L << 5, 1L << 5, 0L, 0L), capsOp.args());
        assertEquals((1L << 5) | 1L, nnp.ops().get(c.indexOf("BOUNDING")).args().getFirst());

        // without no_new_privs the filter is loaded while CAP_SYS_ADMIN is still held
        Plan plain = create(json("{'ociVersion':'1.2.0','root':{'path':'rootfs'},'process':{'args':['sh'],'cwd':'/'," + caps + "},"
                + "'linux':{'namespaces':[{'type':'mount'}]," + seccomp + "}}"), true);
        List<String> p = codes(plain);
        assertTrue(p.indexOf("SECCOMP") < p.indexOf("BOUNDING"));
        assertFalse(p.contains("NO_NEW_PRIVS"));
    }

    @Test
    void execUsesTheProcessPathToFindTheProgram() {
        Plan p = create(minimal(""), true);
        Op resolve = p.ops().get(codes(p).indexOf("RESOLVE_EXEC"));
        assertEquals(List.of("sh", "/bin"), resolve.args());
        Op exec = p.ops().getLast();
        assertEquals(List.of(1L, "sh", "PATH=/bin"), exec.args());
    }

    @Test
    void execPlanJoinsThenForksIntoThePidNamespace() {
        Spec spec = SpecParser.parse(minimal("'hostname':'h'"));
        Plan p = compiler.exec(spec.process(), spec.linux(), new PlanCompiler.ExecContext(
                Map.of("pid", "/proc/9/ns/pid", "mount", "/proc/9/ns/mnt", "user", "/proc/9/ns/user"), true, null, 3, Monitor.FOREGROUND));
        assertEquals(List.of("SETNS", "SETNS", "SETNS", "CLONE", "WAIT_GO"), codes(p).subList(0, 5));
        assertEquals("join user namespace /proc/9/ns/user", p.ops().get(0).description());
        assertEquals("join mount namespace /proc/9/ns/mnt", p.ops().get(2).description());
        assertEquals(List.of(0L, 1L, ""), p.ops().get(3).args()); // plain fork, the executor monitors it
    }

    @Test
    void aDetachedMonitorGetsTheStatusFileOnCloneForCreateAndExec() {
        Path status = bundle.resolve("status");
        Plan created = create(minimal(""), false, Monitor.detached(status));
        Op clone = created.ops().get(codes(created).indexOf("CLONE"));
        assertEquals(List.of(Namespaces.CLONE_NEWNS | Namespaces.CLONE_NEWPID | Namespaces.CLONE_NEWUTS, 2L, status.toString()),
                clone.args());
        assertEquals("WAIT_GO", codes(created).get(codes(created).indexOf("NOTIFY") + 1), "released by go, not a fifo");

        Spec spec = SpecParser.parse(minimal(""));
        Plan exec = compiler.exec(spec.process(), spec.linux(), new PlanCompiler.ExecContext(
                Map.of("pid", "/proc/9/ns/pid"), false, null, 3, Monitor.detached(null)));
        assertEquals(List.of(0L, 2L, ""), exec.ops().get(codes(exec).indexOf("CLONE")).args());
    }

    @Test
    void onlyADetachedMonitorWritesAStatusFile() {
        assertEquals(List.of(0L, 0L, ""), Op.cloneProcess(0, Monitor.NONE).args());
        assertEquals(List.of(0L, 1L, ""), Op.cloneProcess(0, Monitor.FOREGROUND).args());
        assertThrows(IllegalArgumentException.class, () -> new Monitor(Monitor.Mode.FOREGROUND, "/run/status"));
        assertEquals(Path.of("").toAbsolutePath().resolve("st").toString(), Monitor.detached(Path.of("st")).statusFile());
    }

    @Test
    void cloneEncodesFlagsMonitorModeAndStatusPath() {
        byte[] b = new Plan(List.of(Op.cloneProcess(0x20000, Monitor.detached(Path.of("/s"))))).encode();
        // CLONE: op 1, 3 args: u64 flags, u64 mode 2, "/s\0"
        assertEquals(List.of(1, 0, 0, 0, 3, 0, 0, 0, 8, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 8, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0,
                        3, 0, 0, 0, (int) '/', (int) 's', 0),
                java.util.stream.IntStream.range(0, b.length).mapToObj(i -> (int) b[i]).toList());
    }

    @Test
    void encodingIsTheExecutorsWireFormat() {
        byte[] b = new Plan(List.of(Op.setsid(), Op.chdir("/x"))).encode();
        // SETSID: op 22, 0 args; CHDIR: op 24, 1 arg of 3 bytes "/x\0"
        assertEquals(List.of(22, 0, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, (int) '/', (int) 'x', 0),
                java.util.stream.IntStream.range(0, b.length).mapToObj(i -> (int) b[i]).toList());
    }
}
