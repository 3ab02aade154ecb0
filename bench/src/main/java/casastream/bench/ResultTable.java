package casastream.bench;

import java.io.PrintWriter;
import java.util.List;

/** Prints a benchmark's result as an aligned text table, then its targets and notes. */
public final class ResultTable {

  private ResultTable() {}

  public static void print(BenchResult result, PrintWriter out) {
    out.println();
    out.println("== " + result.name());
    List<List<String>> rows = result.table();
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        String cell = row.get(c);
        line.append(c == 0 ? String.format("%-" + widths[c] + "s", cell) : String.format("  %" + widths[c] + "s", cell));
      }
      out.println(line);
    }
    for (Target target : result.targets()) {
      out.println("target: " + target.goal() + ": " + target.measured() + " -> " + target.verdict());
    }
    for (String note : result.notes()) {
      out.println("note: " + note);
    }
    out.flush();
  }
}
