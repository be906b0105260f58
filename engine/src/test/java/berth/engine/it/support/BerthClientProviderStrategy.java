package berth.engine.it.support;

import java.net.URI;

import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * Points Testcontainers at a test's berth daemon without DOCKER_HOST or {@code ~/.testcontainers.properties}:
 * found by Testcontainers through {@code META-INF/services}, it applies once the system property
 * {@value #PROPERTY} holds the daemon's {@code unix://} address, ranks above the strategies that look for a
 * local Docker, and is never written to the user's properties file. Testcontainers chooses a strategy once per
 * JVM, so the first daemon named here serves every Testcontainers test in that JVM.
 */
public final class BerthClientProviderStrategy extends DockerClientProviderStrategy {
    /** The system property that names the daemon, e.g. {@code unix:///tmp/berth-it-1/berth.sock}. */
    public static final String PROPERTY = "berth.it.docker.host";
    private static final int PRIORITY = 1000;

    @Override
    public String getDescription() {
        return "berth test daemon at " + System.getProperty(PROPERTY);
    }

    @Override
    public TransportConfig getTransportConfig() {
        return TransportConfig.builder().dockerHost(URI.create(System.getProperty(PROPERTY))).build();
    }

    @Override
    protected boolean isApplicable() {
        return System.getProperty(PROPERTY) != null;
    }

    @Override
    protected boolean isPersistable() {
        return false;
    }

    /** TESTCONTAINERS_HOST_OVERRIDE and TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE are for another Docker, not this one. */
    @Override
    public boolean allowUserOverrides() {
        return false;
    }

    @Override
    protected int getPriority() {
        return PRIORITY;
    }
}
