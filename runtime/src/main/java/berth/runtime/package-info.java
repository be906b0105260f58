/**
 * The OCI runtime: the container lifecycle of the OCI runtime specification (create, start, state, kill,
 * delete) plus exec, on top of plans compiled by {@link berth.runtime.plan} and carried out by the native
 * executor. {@link berth.runtime.ContainerRuntime} is the entry point; the runc-compatible command line is
 * in {@link berth.runtime.cli}.
 */
package berth.runtime;
