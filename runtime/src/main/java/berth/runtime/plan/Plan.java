package berth.runtime.plan;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** An ordered list of operations for the executor. */
public record Plan(List<Op> ops) {
    public Plan {
        ops = List.copyOf(ops);
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        for (Op op : ops) op.encode(out);
        return out.toByteArray();
    }

    /** What operation {@code index} did, for error messages; the executor reports failures by index. */
    public String describe(int index) {
        return index >= 0 && index < ops.size() ? ops.get(index).description() : "start the executor";
    }

    public boolean contains(Op.Code code) {
        return ops.stream().anyMatch(o -> o.code() == code);
    }
}
