package berth.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container as the engine keeps it on disk ({@code containers/<id>/container.json}): what it was created
 * with, where its files are, and its state. Fields are public data, written through {@link ContainerStore};
 * callers change a container only while holding its monitor ({@code synchronized (container)}).
 */
public final class Container {
    public String id;
    public String name;
    public String created;
    /** The image's ID ({@code sha256:...}) and the name the user gave for it. */
    public String image;
    public String imageName;
    /** Docker's {@code Config} and {@code HostConfig} as created, image defaults not merged. */
    public ObjectNode config;
    public ObjectNode hostConfig;
    /** Docker's {@code NetworkingConfig.EndpointsConfig}: per network, aliases, links, IPAM config. */
    public ObjectNode endpointsConfig;
    /** The program and its arguments after merging with the image (what inspect shows as Path and Args). */
    public String path;
    public List<String> args = new ArrayList<>();
    public List<MountPoint> mounts = new ArrayList<>();
    /** The mounts as requested (volumes named, anonymous ones given their new names), for each start's spec. */
    public List<berth.engine.spec.MountRequest> mountRequests = new ArrayList<>();
    /** The name of the storage driver that made its root (overlay2 or vfs). */
    public String driver;
    public State state = new State();
    public int restartCount;
    /** Stopped by the user (stop, kill): restart policies other than {@code always} leave it stopped. */
    public boolean manuallyStopped;
    public boolean hasBeenStarted;
    /** Per network the endpoint settings inspect shows (addresses, MAC, aliases), as attached. */
    public Map<String, ObjectNode> networks = new LinkedHashMap<>();

    /** Docker's {@code MountPoint}, as inspect shows it. */
    public record MountPoint(String type, String name, String source, String destination, String driver,
                             String mode, boolean rw, String propagation) {}

    /** Docker's {@code ContainerState}. */
    public static final class State {
        public String status = "created";
        public int pid;
        /**
         * The pid of the detached monitor that watches {@link #pid} (0 when none): a daemon that comes back
         * takes the terminal's master from it. Not part of Docker's state.
         */
        public int monitorPid;
        public int exitCode;
        public String error = "";
        public String startedAt = Json.ZERO_TIME;
        public String finishedAt = Json.ZERO_TIME;
        public boolean oomKilled;
        public boolean paused;
        public boolean restarting;
        public boolean dead;

        public boolean running() {
            return status.equals("running") || status.equals("paused") || status.equals("restarting") && pid > 0;
        }
    }

    public String shortId() {
        return id.substring(0, 12);
    }

    public boolean tty() {
        return config.path("Tty").asBoolean(false);
    }

    public boolean openStdin() {
        return config.path("OpenStdin").asBoolean(false);
    }
}
