/**
 * The content store: immutable blobs addressed by sha256, visible only once verified (size and digest),
 * written through a resumable ingest so that a crash leaves no half-written blob.
 */
package berth.image.content;
