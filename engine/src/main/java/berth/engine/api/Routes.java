package berth.engine.api;

import berth.engine.ContainerIo;
import berth.engine.ContainerNetworking;
import berth.engine.ContainerSetup;
import berth.engine.ContainerStore;
import berth.engine.Containers;
import berth.engine.Events;
import berth.engine.Execs;
import berth.engine.RootFs;
import berth.engine.http.Router;
import berth.image.ImageService;
import berth.image.registry.RegistryHosts;
import berth.runtime.ContainerRuntime;
import berth.sys.Syscalls;

import java.nio.file.Path;

/** Every route of berth's Docker Engine API, registered on one router. */
public final class Routes {
    private Routes() {}

    /** The engine's parts the routes use. */
    public record Parts(Path root, ContainerStore store, Containers containers, ContainerSetup setup, ContainerIo io,
                        Execs execs, ContainerNetworking networking, ImageService images, RegistryHosts registryHosts,
                        Events events, RootFs rootfs, Syscalls sys, ContainerRuntime runtime) {}

    public static void register(Router r, Parts p) {
        new SystemRoutes(p.store(), p.images(), p.events(), p.root()).register(r);
        ContainerViews views = new ContainerViews(p.store(), p.networking());
        new ContainerRoutes(p.store(), p.containers(), p.setup(), p.io(), views, p.execs()::of).register(r);
        new ProcessRoutes(p.store(), p.runtime()).register(r);
        new ExecRoutes(p.store(), p.execs()).register(r);
        new FileRoutes(p.store(), p.rootfs(), p.images(), p.sys(), p.events()).register(r);
        new ImageRoutes(p.images(), p.registryHosts(), p.events(), p.store()::all).register(r);
        new NetworkRoutes(p.networking(), p.store(), p.events()).register(r);
        new VolumeRoutes(p.setup(), p.events()).register(r);
    }
}
