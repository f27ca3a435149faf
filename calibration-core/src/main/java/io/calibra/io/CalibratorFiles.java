package io.calibra.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.label.LabelSet;
import io.calibra.selective.SelectivePolicy;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Saves and loads fitted calibrators (and pipelines) as JSON: {@code format}, {@code
 * schema_version}, the label set (names and words), the stages with their parameters at full double
 * precision (so a loaded calibrator's outputs are bit-for-bit those of the saved one), the
 * abstention {@code policy} (or null) and {@link Provenance} with the scorer's and template's
 * fingerprints. Stateless and thread-safe.
 *
 * <p>Each stage is saved under its {@link CalibrationMethod#methodName()} with the parameters
 * {@link CalibrationMethod#write} gives and is rebuilt by {@link CalibrationMethod#read}: the
 * registry is the one place that knows the methods.
 *
 * <pre>{@code
 * // a classifier's whole calibration (stages, policy, provenance); atomic: a whole file or none
 * CalibratorFiles.save(classifier.calibration(), Path.of("model.json"));
 * SavedCalibrator saved = CalibratorFiles.load(Path.of("model.json"));
 * LabelDistribution q = saved.calibrator().apply(p);
 * }</pre>
 *
 * <p>Schema versions: 3 adds the {@code identity} method (a stage with no parameters); 2 adds
 * {@code policy} and {@code provenance.scorer_fingerprint}. Files of versions 1 and 2 still load,
 * schema-1 files with no policy and no scorer fingerprint. The binning and logistic methods ({@code
 * isotonic}, {@code histogram-binning}, {@code scaling-binning}, {@code platt}, {@code beta}) are
 * stage methods within schema 3, not a new schema: their stages use the existing layout (named
 * arrays of numbers; per-label arrays flattened one label after another with a {@code counts}
 * array), files without them are unchanged and still load in older readers, and an older reader
 * refuses a file with one as an {@code unknown method}, naming it.
 *
 * <p>The contextual, contextual-subtractive and domain-context stages hold an optional {@code pcf}
 * field: the rule their bias was estimated with, {@code raw-mass} or {@code normalised} ({@link
 * ContextualCalibration.Rule}). It is optional (from schema 2 on: readers that predate it ignore
 * it, and it does not change how the stage maps distributions); a stage without it loads as {@code
 * normalised}, the only rule calibra had before, so every file without it was fitted with it. Other
 * stages must not have it.
 */
public final class CalibratorFiles {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "calibra-calibrator";

  /** The schema version this library writes and the newest it reads. */
  public static final int SCHEMA_VERSION = 3;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CalibratorFiles() {}

  /**
   * Writes {@code calibrator} to {@code file} atomically ({@link AtomicOutput}): a temporary file
   * in the same folder is written and flushed to disk, then moved over {@code file}, so an
   * exception or a killed process never leaves a partial file where a good one was. A symbolic link
   * is written through; a replaced file keeps its permission bits.
   *
   * @throws IllegalArgumentException if {@code file} exists and is not a regular file (a device,
   *     FIFO, socket or folder)
   * @throws UncheckedIOException if the folder is missing or not writable, or the disk is full
   */
  public static void save(Calibrator calibrator, Provenance provenance, Path file) {
    save(new SavedCalibrator(calibrator, provenance), file);
  }

  /**
   * Writes a whole calibration (stages, label words, abstention policy, provenance) to {@code file}
   * atomically, as {@link #save(Calibrator, Provenance, Path)}: for example {@code
   * CalibratorFiles.save(classifier.calibration(), file)}.
   *
   * @throws UncheckedIOException if the folder is missing or not writable, or the disk is full
   */
  public static void save(SavedCalibrator saved, Path file) {
    AtomicOutput.write(file, toJson(saved));
  }

  /** The JSON text of a calibrator and its provenance. */
  public static byte[] toJson(Calibrator calibrator, Provenance provenance) {
    return toJson(new SavedCalibrator(calibrator, provenance));
  }

  /** The JSON text of a calibration: calibrator, abstention policy and provenance. */
  public static byte[] toJson(SavedCalibrator saved) {
    Calibrator calibrator = saved.calibrator();
    Provenance provenance = saved.provenance();
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("schema_version", SCHEMA_VERSION);
    ArrayNode labels = root.putArray("labels");
    LabelSet ls = calibrator.labels();
    for (int k = 0; k < ls.size(); k++) {
      ObjectNode label = labels.addObject();
      label.put("name", ls.name(k));
      ArrayNode words = label.putArray("words");
      ls.words(k).forEach(words::add);
    }
    ArrayNode stages = root.putArray("stages");
    for (Calibrator stage : calibrator.stages()) {
      ObjectNode s = stages.addObject();
      s.put("method", stage.kind().methodName());
      ContextualCalibration.rule(stage).ifPresent(rule -> s.put("pcf", rule.id()));
      ObjectNode params = s.putObject("parameters");
      stage
          .kind()
          .write(stage)
          .forEach(
              (name, values) -> {
                ArrayNode array = params.putArray(name);
                for (double v : values) {
                  array.add(v);
                }
              });
    }
    SelectivePolicy policy = saved.policy();
    if (policy == null) {
      root.putNull("policy");
    } else {
      ObjectNode p = root.putObject("policy");
      if (policy.threshold() == Double.POSITIVE_INFINITY) {
        p.put("threshold", "Infinity");
      } else {
        p.put("threshold", policy.threshold());
      }
      p.put("dev_coverage", policy.devCoverage());
      p.put("dev_risk", policy.devRisk());
    }
    root.set("provenance", JSON.valueToTree(provenanceMap(provenance)));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise calibrator: " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> provenanceMap(Provenance p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", p.method());
    m.put("fitting_rows", p.fittingRows());
    m.put("fitting_data_sha256", p.fittingDataSha256());
    m.put("template_fingerprint", p.templateFingerprint());
    m.put("scorer_fingerprint", p.scorerFingerprint());
    m.put("model_id", p.modelId());
    m.put("library_version", p.libraryVersion());
    m.put("java_version", p.javaVersion());
    m.put("created", p.created());
    return m;
  }

  /**
   * Reads a calibrator file of at most {@code StrictJson.maxBytes()} bytes (64 MiB unless the
   * {@code calibra.json.maxBytes} system property says otherwise), strictly as {@link #fromJson}
   * does.
   *
   * @throws DataFileException if the file is missing, too large, not UTF-8, not JSON, truncated,
   *     has duplicate keys or anything after the top-level object, of a newer schema version, or
   *     has missing or bad fields (naming the field)
   */
  public static SavedCalibrator load(Path file) {
    return load(file, StrictJson.maxBytes());
  }

  /**
   * Reads a calibrator file of at most {@code maxBytes} bytes.
   *
   * @throws DataFileException as {@link #load(Path)}, and if the file has more than {@code
   *     maxBytes} bytes
   * @throws IllegalArgumentException if {@code maxBytes} is below 1 or above 2147483631
   */
  public static SavedCalibrator load(Path file, long maxBytes) {
    return fromJson(StrictJson.readFile(file, maxBytes), file);
  }

  /**
   * Parses calibrator JSON strictly: UTF-8 only, one object with nothing after it, no duplicate
   * keys, an integer {@code schema_version}; {@code file} names it in messages, with the line and
   * column of the problem where it has one.
   *
   * @throws DataFileException if the bytes are not a valid calibrator
   */
  public static SavedCalibrator fromJson(byte[] bytes, Path file) {
    String text = StrictJson.decode(bytes, file);
    JsonNode root = StrictJson.parse(text, file, "calibrator");
    try {
      return parse(root, text, file);
    } catch (DataFileException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new DataFileException(file, 0, 0, "invalid calibrator: " + e.getMessage(), e);
    }
  }

  private static SavedCalibrator parse(JsonNode root, String text, Path file) {
    if (root == null || !root.isObject()) {
      throw bad(file, "the file is not a JSON object");
    }
    if (!FORMAT.equals(text(root, "format", file))) {
      throw bad(
          file,
          "field 'format' is '" + root.get("format").asText() + "'; expected '" + FORMAT + "'");
    }
    JsonNode version = root.get("schema_version");
    if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
      long[] at = StrictJson.locate(text, "schema_version");
      throw new DataFileException(
          file,
          at[0],
          (int) at[1],
          "field 'schema_version' is "
              + (version == null ? "missing" : version.toString())
              + "; expected an integer such as "
              + SCHEMA_VERSION);
    }
    if (version.asInt() > SCHEMA_VERSION) {
      throw bad(
          file,
          "schema_version "
              + version.asInt()
              + " is newer than this library reads ("
              + SCHEMA_VERSION
              + "); upgrade calibra");
    }
    if (version.asInt() < 1) {
      throw bad(
          file,
          "schema_version " + version.asInt() + " is not valid; expected 1.." + SCHEMA_VERSION);
    }
    JsonNode labelsNode = array(root, "labels", file);
    Map<String, List<String>> verbalizers = new LinkedHashMap<>();
    for (JsonNode label : labelsNode) {
      String name = text(label, "name", file);
      List<String> words = new ArrayList<>();
      for (JsonNode w : array(label, "words", file)) {
        if (!w.isTextual()) {
          throw bad(file, "label '" + name + "' has a word that is not a string: " + w);
        }
        words.add(w.asText());
      }
      if (verbalizers.put(name, words) != null) {
        throw bad(file, "duplicate label name '" + name + "'");
      }
    }
    LabelSet labels = LabelSet.ofVerbalizers(verbalizers);
    List<Calibrator> stages = new ArrayList<>();
    for (JsonNode stage : array(root, "stages", file)) {
      stages.add(stage(stage, labels, file));
    }
    if (stages.isEmpty()) {
      throw bad(file, "field 'stages' is empty; expected at least one calibrator");
    }
    Calibrator calibrator = stages.get(0);
    for (int i = 1; i < stages.size(); i++) {
      calibrator = calibrator.andThen(stages.get(i));
    }
    JsonNode p = root.get("provenance");
    if (p == null || !p.isObject()) {
      throw bad(file, "field 'provenance' is missing");
    }
    Provenance provenance =
        new Provenance(
            optionalText(p, "method"),
            p.path("fitting_rows").asLong(0),
            optionalText(p, "fitting_data_sha256"),
            optionalText(p, "template_fingerprint"),
            optionalText(p, "scorer_fingerprint"),
            optionalText(p, "model_id"),
            optionalText(p, "library_version"),
            optionalText(p, "java_version"),
            optionalText(p, "created"));
    SelectivePolicy policy = version.asInt() >= 2 ? policy(root.get("policy"), file) : null;
    return new SavedCalibrator(calibrator, provenance, policy);
  }

  /** The abstention policy: absent or null for none. */
  private static SelectivePolicy policy(JsonNode node, Path file) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw bad(file, "field 'policy' is " + node + "; expected an object or null");
    }
    JsonNode t = node.get("threshold");
    double threshold;
    if (t != null && t.isNumber()) {
      threshold = t.asDouble();
    } else if (t != null && t.isTextual() && t.asText().equals("Infinity")) {
      threshold = Double.POSITIVE_INFINITY;
    } else {
      throw bad(file, "policy field 'threshold' is " + t + "; expected a number >= 0");
    }
    if (!(threshold >= 0)) {
      throw bad(file, "policy field 'threshold' is " + threshold + "; expected a number >= 0");
    }
    return new SelectivePolicy(
        threshold, fraction(node, "dev_coverage", file), fraction(node, "dev_risk", file));
  }

  private static double fraction(JsonNode policy, String field, Path file) {
    JsonNode v = policy.get(field);
    if (v == null || !v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= 1)) {
      throw bad(file, "policy field '" + field + "' is " + v + "; expected a number in [0, 1]");
    }
    return v.asDouble();
  }

  private static Calibrator stage(JsonNode stage, LabelSet labels, Path file) {
    String name = text(stage, "method", file);
    JsonNode params = stage.get("parameters");
    if (params == null || !params.isObject()) {
      throw bad(file, "stage '" + name + "' has no 'parameters' object");
    }
    CalibrationMethod method;
    try {
      method = CalibrationMethod.ofName(name);
    } catch (IllegalArgumentException e) {
      throw bad(file, e.getMessage());
    }
    Map<String, double[]> values = new LinkedHashMap<>();
    for (String parameter : method.parameterNames()) {
      if (params.has(parameter)) {
        values.put(parameter, doubles(params, parameter, name, file));
      }
    }
    return method.read(labels, values, pcfRule(stage, method, file));
  }

  /** The stage's optional {@code pcf} field; absent means normalised (see the class comment). */
  private static Optional<ContextualCalibration.Rule> pcfRule(
      JsonNode stage, CalibrationMethod method, Path file) {
    JsonNode v = stage.get("pcf");
    if (v == null) {
      return Optional.empty();
    }
    if (!method.hasPcfRule()) {
      throw bad(
          file,
          "stage '"
              + method
              + "' has a 'pcf' field; only contextual, contextual-subtractive and domain-context"
              + " stages have one");
    }
    if (!v.isTextual()) {
      throw bad(
          file, "stage '" + method + "' field 'pcf' is " + v + "; expected raw-mass or normalised");
    }
    for (ContextualCalibration.Rule r : ContextualCalibration.Rule.values()) {
      if (r.id().equals(v.asText())) {
        return Optional.of(r);
      }
    }
    throw bad(
        file,
        "stage '"
            + method
            + "' field 'pcf' is '"
            + v.asText()
            + "'; expected raw-mass or normalised");
  }

  private static double[] doubles(JsonNode params, String name, String method, Path file) {
    JsonNode array = params.get(name);
    if (array == null || !array.isArray()) {
      throw bad(file, "stage '" + method + "' has no '" + name + "' array");
    }
    double[] out = new double[array.size()];
    Iterator<JsonNode> it = array.elements();
    for (int i = 0; it.hasNext(); i++) {
      JsonNode v = it.next();
      if (!v.isNumber()) {
        throw bad(
            file, "stage '" + method + "' " + name + "[" + i + "] is " + v + "; expected a number");
      }
      out[i] = v.asDouble();
    }
    return out;
  }

  private static JsonNode array(JsonNode node, String field, Path file) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      throw bad(file, "field '" + field + "' is missing or not an array");
    }
    return v;
  }

  private static String text(JsonNode node, String field, Path file) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw bad(file, "field '" + field + "' is missing or not a string");
    }
    return v.asText();
  }

  private static String optionalText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static DataFileException bad(Path file, String problem) {
    return new DataFileException(file, 0, 0, problem);
  }
}
