/**
 * Files in and out of a container's root filesystem, as {@code docker cp} ({@code GET}, {@code HEAD} and
 * {@code PUT /containers/{id}/archive}) and {@code docker export} need them. {@link berth.engine.archive.ContainerFiles}
 * is the entry point: it stats a path (the {@code X-Docker-Container-Path-Stat} header, with Go's FileMode
 * bits), writes a path or the whole filesystem as a tar, and extracts a tar into a directory. Every path is
 * resolved by {@link berth.engine.archive.InRoot} inside the container's root as if that root were
 * {@code /}: symbolic links the container planted are followed, but never out of it.
 */
package berth.engine.archive;
