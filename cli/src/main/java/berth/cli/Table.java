package berth.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Columns padded like the docker CLI's tables (tabwriter: cells at least ten wide, three spaces between columns). */
final class Table {
    private static final int MIN_WIDTH = 10;

    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    void row(String... cells) {
        rows.add(cells);
    }

    void print(PrintStream out) {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], r[i].codePointCount(0, r[i].length()));
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) sb.append(" ".repeat(Math.max(MIN_WIDTH, width[i] + 3) - r[i].codePointCount(0, r[i].length())));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
