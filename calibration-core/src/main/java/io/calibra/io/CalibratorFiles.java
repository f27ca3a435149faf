package io.calibra.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calibra.calibrate.BatchCalibration;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.DomainContextCalibration;
import io.calibra.calibrate.MatrixScaling;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads fitted calibrators (and pipelines) as JSON: {@code format}, {@code
 * schema_version}, the label set, the stages with their parameters at full double precision (so a
 * loaded calibrator's outputs are bit-for-bit those of the saved one), and {@link Provenance}.
 * Stateless and thread-safe.
 */
public final class CalibratorFiles {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "calibra-calibrator";

  /** The schema version this library writes and the newest it reads. */
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CalibratorFiles() {}

  /**
   * Writes {@code calibrator} to {@code file} atomically: a temporary file in the same folder is
   * written and flushed to disk, then moved over {@code file}, so an exception or a killed process
   * never leaves a partial file where a good one was.
   *
   * @throws UncheckedIOException if the folder is missing or not writable, or the disk is full
   */
  public static void save(Calibrator calibrator, Provenance provenance, Path file) {
    writeAtomically(toJson(calibrator, provenance), file);
  }

  /**
   * Writes {@code bytes} to {@code file} through a flushed temporary file in the same folder and an
   * atomic move; on any failure the temporary file is deleted and {@code file} is left as it was.
   *
   * @throws UncheckedIOException if the folder is missing or not writable, or the disk is full
   */
  public static void writeAtomically(byte[] bytes, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + dir + ": " + e.getMessage(), e);
    }
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        out.write(bytes);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteAfterFailure(tmp, e);
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      deleteAfterFailure(tmp, e);
      throw e;
    }
  }

  private static void deleteAfterFailure(Path tmp, Throwable failure) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** The JSON text of a calibrator and its provenance. */
  public static byte[] toJson(Calibrator calibrator, Provenance provenance) {
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
      s.put("method", stage.method());
      ObjectNode params = s.putObject("parameters");
      stage
          .parameters()
          .forEach(
              (name, values) -> {
                ArrayNode array = params.putArray(name);
                for (double v : values) {
                  array.add(v);
                }
              });
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
    m.put("model_id", p.modelId());
    m.put("library_version", p.libraryVersion());
    m.put("java_version", p.javaVersion());
    m.put("created", p.created());
    return m;
  }

  /**
   * Reads a calibrator file of at most {@link StrictJson#maxBytes()} bytes (64 MiB unless the
   * {@value StrictJson#MAX_BYTES_PROPERTY} system property says otherwise), strictly as {@link
   * #fromJson} does.
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
      throw bad(file, "schema_version " + version.asInt() + " is not valid; expected 1");
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
            optionalText(p, "model_id"),
            optionalText(p, "library_version"),
            optionalText(p, "java_version"),
            optionalText(p, "created"));
    return new SavedCalibrator(calibrator, provenance);
  }

  private static Calibrator stage(JsonNode stage, LabelSet labels, Path file) {
    String method = text(stage, "method", file);
    JsonNode params = stage.get("parameters");
    if (params == null || !params.isObject()) {
      throw bad(file, "stage '" + method + "' has no 'parameters' object");
    }
    return switch (method) {
      case "contextual" ->
          ContextualCalibration.fromBias(
              labels, doubles(params, "bias", method, file), ContextualCalibration.Form.DIAGONAL);
      case "contextual-subtractive" ->
          ContextualCalibration.fromBias(
              labels,
              doubles(params, "bias", method, file),
              ContextualCalibration.Form.SUBTRACTIVE);
      case "domain-context" ->
          DomainContextCalibration.fromBias(labels, doubles(params, "bias", method, file));
      case "batch" -> BatchCalibration.fromBias(labels, doubles(params, "bias", method, file));
      case "temperature" -> {
        double[] t = doubles(params, "temperature", method, file);
        if (t.length != 1) {
          throw bad(file, "stage 'temperature' has " + t.length + " temperatures; expected 1");
        }
        yield TemperatureScaling.of(labels, t[0]);
      }
      case "vector" ->
          VectorScaling.of(
              labels,
              doubles(params, "weights", method, file),
              doubles(params, "bias", method, file));
      case "matrix" ->
          MatrixScaling.of(
              labels,
              doubles(params, "weights", method, file),
              doubles(params, "bias", method, file));
      default ->
          throw bad(
              file,
              "unknown method '"
                  + method
                  + "'; expected contextual,"
                  + " contextual-subtractive, domain-context, batch, temperature, vector or matrix");
    };
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
