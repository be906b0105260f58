package berth.engine;

import berth.engine.api.Routes;
import berth.engine.http.ErrorMapper;
import berth.engine.http.Router;
import berth.engine.io.IoLoop;
import berth.engine.spec.HostInfo;
import berth.engine.volumes.Volumes;
import berth.image.ImageService;
import berth.image.registry.RegistryHosts;
import berth.image.snapshot.Mounter;
import berth.network.Networks;
import berth.runtime.ContainerRuntime;
import berth.runtime.ExecutorBinary;
import berth.runtime.ExecutorProcess;
import berth.runtime.Launcher;
import berth.runtime.Procfs;
import berth.runtime.plan.PlanCompiler;
import berth.runtime.seccomp.SeccompCompiler;
import berth.sys.LinuxSyscalls;
import berth.sys.SysException;
import berth.sys.Syscalls;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.function.Consumer;

/** The daemon's parts wired together over one root: image store, runtime, networks, volumes, containers, API. */
public final class Engine implements AutoCloseable {
    private final Router router;
    private final ErrorMapper errors;
    private final ContainerNetworking networking;
    private final IoLoop loop;

    private Engine(Router router, ErrorMapper errors, ContainerNetworking networking, IoLoop loop) {
        this.router = router;
        this.errors = errors;
        this.networking = networking;
        this.loop = loop;
    }

    public static Engine open(Daemon.Options opts) {
        Path root = opts.root();
        Syscalls sys = new LinuxSyscalls();
        Consumer<String> warn = m -> System.err.println("berth daemon: warning: " + m);
        ImageService images = new ImageService(root, sys, opts.storageDriver());
        images.recover();
        ContainerRuntime runtime = runtime(sys, root, warn);
        Networks networks = new Networks(root, null, null);
        ContainerStore store = new ContainerStore(root.resolve("containers"));
        store.load(warn);
        ContainerNetworking networking = new ContainerNetworking(networks, sys, store);
        Events events = new Events();
        RootFs rootfs = new RootFs(images, new Mounter(sys));
        Volumes volumes = new Volumes(root.resolve("volumes"), sys);
        ContainerSetup setup = new ContainerSetup(store, images, volumes, rootfs, events, HostInfo.detect(HostInfo.DEFAULT_INIT));
        IoLoop loop = IoLoop.start(sys);
        ContainerIo io = new ContainerIo(sys, store, loop);
        Containers containers = new Containers(store, runtime, rootfs, networking, io, setup, events, warn);
        Execs execs = new Execs(sys, store, runtime, loop);
        containers.restore();
        Router router = new Router();
        Routes.register(router, new Routes.Parts(root, store, containers, setup, io, execs, networking, images,
                new RegistryHosts(new HashSet<>(opts.insecureRegistries())), events, rootfs, sys, runtime));
        return new Engine(router, new berth.engine.api.ErrorMapping(), networking, loop);
    }

    /** The OCI runtime over the daemon root's {@code runtime} directory, where its containers' states live. */
    public static ContainerRuntime runtime(Syscalls sys, Path root, Consumer<String> warn) {
        SeccompCompiler seccomp = new SeccompCompiler(); // one for the daemon's life: it remembers compiled profiles
        return new ContainerRuntime(sys, root.resolve("runtime"),
                new Launcher(ExecutorProcess.jdk(new ExecutorBinary()), pid -> kill(sys, pid)),
                new PlanCompiler(() -> seccomp), Procfs::hostFacts, null, warn);
    }

    private static void kill(Syscalls sys, int pid) {
        try {
            sys.kill(pid, 9);
        } catch (SysException ignored) {
            // gone already
        }
    }

    public Router router() {
        return router;
    }

    public ErrorMapper errors() {
        return errors;
    }

    /** Stops serving; containers keep running (their monitors hold their output until the next daemon). */
    @Override
    public void close() {
        networking.close();
        loop.close();
    }

    /** Whether something answers HTTP on {@code socket}. */
    static boolean answers(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            return ch.read(ByteBuffer.allocate(16)) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
