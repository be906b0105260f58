/**
 * berth's images: references, digests and the OCI/Docker image documents, the image records, and
 * {@link berth.image.ImageService}, which pulls, pushes, stores, unpacks, saves and loads them without a
 * daemon. Sub-packages: {@code content} (the blob store), {@code layer} (tar layers in and out),
 * {@code snapshot} (unpacked layers and root file system mounts), {@code registry} (the Registry API client),
 * {@code archive} (docker-archive and OCI layout tarballs).
 */
package berth.image;
