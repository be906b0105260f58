/**
 * A client for the OCI distribution spec (the Docker Registry HTTP API v2): resolve a reference to a
 * manifest, fetch and push manifests and blobs (monolithic or chunked uploads, cross-repository mounts,
 * ranged resumes), with the registry's Basic and Bearer token authentication and credentials read from and
 * written to Docker's {@code config.json}. {@link berth.image.registry.RegistryClient} is the entry point;
 * {@link berth.image.registry.RegistryHosts} decides which hosts may be spoken to over plain HTTP.
 */
package berth.image.registry;
