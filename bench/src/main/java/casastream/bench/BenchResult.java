package casastream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What one benchmark measured: its parameters, its figures (top-level JSON fields, e.g. the memory
 * benchmark's {@code frames}, {@code casa_bytes}, {@code insertion_bytes}), the targets and notes
 * on how to read them, and a table for the terminal.
 */
public final class BenchResult {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String name;
  private final ObjectNode parameters = NODES.objectNode();
  private final ObjectNode figures = NODES.objectNode();
  private final List<Target> targets = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<List<String>> table = new ArrayList<>();

  public BenchResult(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public BenchResult parameter(String key, Object value) {
    parameters.set(key, NODES.pojoNode(value));
    return this;
  }

  /** Sets a parameter unless the benchmark set it itself. */
  public BenchResult parameterIfAbsent(String key, Object value) {
    if (!parameters.has(key)) {
      parameter(key, value);
    }
    return this;
  }

  public BenchResult figure(String key, double value) {
    figures.put(key, round(value));
    return this;
  }

  public BenchResult figure(String key, long value) {
    figures.put(key, value);
    return this;
  }

  public BenchResult figure(String key, String value) {
    figures.put(key, value);
    return this;
  }

  /** An array figure; null elements stand for points that were not measured. */
  public BenchResult series(String key, Collection<? extends Number> values) {
    ArrayNode array = figures.putArray(key);
    for (Number value : values) {
      if (value == null) {
        array.addNull();
      } else if (value instanceof Double || value instanceof Float) {
        array.add(round(value.doubleValue()));
      } else {
        array.add(value.longValue());
      }
    }
    return this;
  }

  public BenchResult figure(String key, JsonNode value) {
    figures.set(key, value);
    return this;
  }

  public BenchResult target(Target target) {
    targets.add(target);
    return this;
  }

  public BenchResult note(String note) {
    notes.add(note);
    return this;
  }

  /** Adds a row to the terminal table; the first row added is the header. */
  public BenchResult row(Object... cells) {
    List<String> row = new ArrayList<>(cells.length);
    for (Object cell : cells) {
      row.add(cell == null ? "-" : cell instanceof Double d ? format(d) : String.valueOf(cell));
    }
    table.add(row);
    return this;
  }

  public JsonNode figure(String key) {
    return figures.get(key);
  }

  public List<Target> targets() {
    return List.copyOf(targets);
  }

  public List<String> notes() {
    return List.copyOf(notes);
  }

  public List<List<String>> table() {
    return List.copyOf(table);
  }

  /** The benchmark's JSON object: name, parameters, the figures at top level, targets, notes. */
  public ObjectNode toJson() {
    ObjectNode json = NODES.objectNode();
    json.put("name", name);
    json.set("parameters", parameters.deepCopy());
    json.setAll(figures.deepCopy());
    ArrayNode goals = json.putArray("targets");
    for (Target target : targets) {
      ObjectNode goal = goals.addObject();
      goal.put("goal", target.goal());
      goal.put("measured", target.measured());
      if (target.met() == null) {
        goal.putNull("met");
      } else {
        goal.put("met", target.met());
      }
    }
    ArrayNode lines = json.putArray("notes");
    notes.forEach(lines::add);
    return json;
  }

  /** Three significant decimals are plenty for timings taken on a shared machine. */
  private static double round(double value) {
    if (!Double.isFinite(value) || value == 0) {
      return value;
    }
    double scale = Math.pow(10, 3 - Math.ceil(Math.log10(Math.abs(value))));
    return scale > 1 ? Math.round(value * scale) / scale : Math.round(value);
  }

  static String format(double value) {
    if (Math.abs(value) >= 100 || value == Math.rint(value)) {
      return String.format("%,.0f", value);
    }
    return String.format("%.3g", value);
  }
}
