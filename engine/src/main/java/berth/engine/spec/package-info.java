/**
 * From a Docker {@code POST /containers/create} body to the OCI runtime spec that berth's runtime runs.
 * {@link berth.engine.spec.CreateRequest} normalises and validates the body the way dockerd does (explicit nulls,
 * missing fields and the docker CLI's defaults all mean the same thing; errors carry Docker's wording);
 * {@link berth.engine.spec.Mounts} turns binds, mounts, tmpfs and anonymous volumes into one list of
 * {@link berth.engine.spec.MountRequest}s for the daemon to resolve; {@link berth.engine.spec.Users} resolves a
 * user spec inside a root filesystem; {@link berth.engine.spec.OciSpecBuilder} writes config.json with Docker's
 * defaults (capabilities, mounts, masked paths, devices, seccomp, resources), as moby's {@code oci/defaults.go}
 * and {@code daemon/oci_linux.go} do. Everything here is pure Java and runs without root.
 */
package berth.engine.spec;
