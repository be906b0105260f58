package berth.image.layer;

import java.util.SortedMap;

/**
 * One tar entry as berth reads and writes layers, independent of the tar library: a normalised name
 * ({@link EntryName}), the type, numeric owner, the twelve mode bits, times in nanoseconds since the epoch,
 * the link target for links, device numbers for devices, and extended attributes with their raw values.
 *
 * @param rawName the name as the tar spelled it, for messages
 * @param size    the number of content bytes (regular files only)
 */
record LayerEntry(String name, String rawName, Type type, int mode, long uid, long gid, long mtimeNanos,
        long atimeNanos, long size, String linkName, int devMajor, int devMinor, SortedMap<String, byte[]> xattrs) {

    enum Type { DIRECTORY, FILE, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, OTHER }

    static final int S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFDIR = 0040000, S_IFBLK = 0060000,
            S_IFREG = 0100000, S_IFLNK = 0120000, S_IFSOCK = 0140000, S_IFMT = 0170000;
}
