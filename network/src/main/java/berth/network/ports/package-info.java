/**
 * Published ports as users write them and as Docker reports them: {@link berth.network.ports.PortSpecs} parses
 * Docker's {@code -p} syntax and {@code -P} into {@link berth.network.ports.PortRequest}s and
 * {@link berth.network.PortMapping}s for attach; {@link berth.network.ports.PortBindings} turns the mappings attach
 * made back into the shapes of Docker's inspect output ({@code NetworkSettings.Ports},
 * {@code HostConfig.PortBindings}).
 */
package berth.network.ports;
