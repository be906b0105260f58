package berth.image;

/** What a pull, push or load reports while it works; the CLI renders it as Docker does. */
public interface Progress {

    /**
     * The state of one layer or blob changed. {@code id} is the short digest; {@code status} is Docker's word
     * for it ("Waiting", "Downloading", "Extracting", "Pull complete", "Already exists", "Pushed", ...);
     * {@code current}/{@code total} are bytes, or -1 when there is no count.
     */
    void layer(String id, String status, long current, long total);

    /** A line of its own, e.g. "latest: Pulling from library/busybox" or "Digest: sha256:...". */
    void line(String text);

    Progress NONE = new Progress() {
        @Override
        public void layer(String id, String status, long current, long total) {}

        @Override
        public void line(String text) {}
    };
}
