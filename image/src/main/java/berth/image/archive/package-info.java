/**
 * Image tarballs: {@code save} writes one archive that is both a docker-archive ({@code manifest.json})
 * and an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/}), as Docker 25 does, so
 * {@code docker load}, skopeo's {@code docker-archive:} and {@code oci-archive:} all read it; {@code load}
 * reads either kind.
 */
package berth.image.archive;
