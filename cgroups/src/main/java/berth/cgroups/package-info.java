/**
 * Resource limits through cgroups, for both hierarchies in use today: v1 (a hierarchy per controller) and
 * v2 (the unified hierarchy). {@link berth.cgroups.Cgroups} detects what the host mounts and makes the
 * {@link berth.cgroups.CgroupManager} for a container; {@link berth.cgroups.Resources} is the OCI
 * {@code linux.resources} object as typed data. Every class takes its hierarchy root as a path, so it is
 * unit-tested against a temporary directory and integration-tested against the kernel.
 */
package berth.cgroups;
