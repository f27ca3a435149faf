package io.calibra.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.Provenance;
import io.calibra.io.SavedCalibrator;
import io.calibra.label.LabelSet;
import io.calibra.selective.SelectivePolicy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The valid-input oracle for calibrator JSON, beside {@link ScoreFileValidInputTest}: the fuzz test
 * ({@link CalibratorJsonFuzzTest}) accepts any {@code DataFileException}, so a loader that started
 * rejecting valid files would pass it. Here seeded generated files that are valid by construction
 * must load, every parameter round-tripping bit for bit.
 *
 * <p>For every stage method of the {@link CalibrationMethod} registry (a method added to the
 * registry without a generator here fails {@link #parameters}), 25 seeds each write a file by hand
 * (not with {@link CalibratorFiles#toJson}): that method first, then up to two random stages (a
 * pipeline); fields in random order with random whitespace; label names and words with quotes,
 * backslashes, non-ASCII text and backslash-u escapes; parameters of every magnitude the checks
 * allow (subnormal biases, weights up to 1e300, -0.0) in varied exact spellings (shortest, plain,
 * exponent with {@code e} or {@code E+}, the exact binary expansion, integers); the optional {@code
 * pcf} field where the method has one; an absent, null or set policy ({@code "Infinity"} included);
 * and a provenance with null or set fields. The loaded file must give back exactly what was
 * written, and saving it again and loading that must give an equal calibration.
 */
class CalibratorFileValidInputTest {
  private static final Path NAME = Path.of("generated.json");
  private static final String[] NAME_POOL = {
    "negative",
    "positive",
    "neutral",
    "caf\u00e9",
    "\u65e5\u672c",
    "say \"yes\"",
    "back\\slash",
    "a/b",
    "emoji \ud83d\ude00",
    "x",
    "label 7",
    "  padded  "
  };

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (CalibrationMethod m : CalibrationMethod.stageMethods()) {
      for (int seed = 0; seed < 25; seed++) {
        out.add(Arguments.of(m, seed));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("cases")
  void generatedValidCalibratorFilesLoadExactly(CalibrationMethod first, int seed) {
    Random random = new Random(31L * seed + first.ordinal());
    int k = twoLabelsOnly(first) ? 2 : 2 + random.nextInt(6);
    List<String> pool = new ArrayList<>(List.of(NAME_POOL));
    Collections.shuffle(pool, random);
    List<String> names = pool.subList(0, k);
    List<List<String>> words = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      List<String> w = new ArrayList<>();
      if (random.nextBoolean()) {
        w.add(names.get(i));
      } else {
        for (int j = random.nextInt(3); j >= 0; j--) {
          w.add(" " + pool.get((i + j + 1) % pool.size()).trim() + j);
        }
      }
      words.add(w);
    }
    List<CalibrationMethod> methods = new ArrayList<>(List.of(first));
    List<CalibrationMethod> all = CalibrationMethod.stageMethods();
    for (int s = random.nextInt(3); s > 0; s--) {
      CalibrationMethod next = all.get(random.nextInt(all.size()));
      if (k == 2 || !twoLabelsOnly(next)) {
        methods.add(next);
      }
    }
    List<Map<String, double[]>> params = new ArrayList<>();
    List<Optional<ContextualCalibration.Rule>> rules = new ArrayList<>();
    List<String> stageTexts = new ArrayList<>();
    for (CalibrationMethod m : methods) {
      Map<String, double[]> p = parameters(m, k, random);
      params.add(p);
      Optional<ContextualCalibration.Rule> rule = Optional.empty();
      if (m.hasPcfRule() && random.nextBoolean()) {
        ContextualCalibration.Rule[] rs = ContextualCalibration.Rule.values();
        rule = Optional.of(rs[random.nextInt(rs.length)]);
      }
      rules.add(rule);
      List<String> paramFields = new ArrayList<>();
      p.forEach((name, values) -> paramFields.add(field(name, numbers(values, random), random)));
      List<String> stageFields = new ArrayList<>();
      stageFields.add(field("method", string(m.methodName(), random), random));
      stageFields.add(field("parameters", object(paramFields, random), random));
      rule.ifPresent(r -> stageFields.add(field("pcf", string(r.id(), random), random)));
      stageTexts.add(object(stageFields, random));
    }
    List<String> labelTexts = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      List<String> ws = new ArrayList<>();
      for (String w : words.get(i)) {
        ws.add(string(w, random));
      }
      labelTexts.add(
          object(
              List.of(
                  field("name", string(names.get(i), random), random),
                  field("words", array(ws, random), random)),
              random));
    }
    SelectivePolicy policy = null;
    int policyChoice = random.nextInt(3);
    if (policyChoice == 2) {
      policy =
          new SelectivePolicy(
              random.nextInt(4) == 0 ? Double.POSITIVE_INFINITY : random.nextDouble() * 3,
              random.nextInt(5) == 0 ? 1.0 : random.nextDouble(),
              random.nextInt(5) == 0 ? 0.0 : random.nextDouble());
    }
    Provenance provenance =
        new Provenance(
            maybe(random, first.methodName()),
            random.nextInt(3) == 0 ? 0 : Math.abs(random.nextLong() >> random.nextInt(63)),
            maybe(random, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            maybe(random, "template \"t\" \u00e9"),
            maybe(random, "scorer:" + random.nextInt(1000)),
            maybe(random, "org/model-\u00fc"),
            maybe(random, "1.2." + random.nextInt(10)),
            maybe(random, "17.0." + random.nextInt(20)),
            maybe(random, "2026-11-27T15:0" + random.nextInt(10) + ":00Z"));
    List<String> top = new ArrayList<>();
    top.add(field("format", string(CalibratorFiles.FORMAT, random), random));
    top.add(field("schema_version", Integer.toString(CalibratorFiles.SCHEMA_VERSION), random));
    top.add(field("labels", array(labelTexts, random), random));
    top.add(field("stages", array(stageTexts, random), random));
    if (policyChoice == 1) {
      top.add(field("policy", "null", random));
    } else if (policy != null) {
      String threshold =
          policy.threshold() == Double.POSITIVE_INFINITY
              ? string("Infinity", random)
              : number(policy.threshold(), random);
      top.add(
          field(
              "policy",
              object(
                  List.of(
                      field("threshold", threshold, random),
                      field("dev_coverage", number(policy.devCoverage(), random), random),
                      field("dev_risk", number(policy.devRisk(), random), random)),
                  random),
              random));
    }
    top.add(field("provenance", provenance(provenance, random), random));
    String text = object(top, random);

    SavedCalibrator loaded = CalibratorFiles.fromJson(text.getBytes(StandardCharsets.UTF_8), NAME);

    LabelSet labels = loaded.calibrator().labels();
    assertThat(labels.names()).as(text).isEqualTo(names);
    for (int i = 0; i < k; i++) {
      assertThat(labels.words(i)).as(text).isEqualTo(words.get(i));
    }
    List<Calibrator> stages = loaded.calibrator().stages();
    assertThat(stages).as(text).hasSize(methods.size());
    for (int s = 0; s < stages.size(); s++) {
      Calibrator stage = stages.get(s);
      CalibrationMethod m = methods.get(s);
      assertThat(stage.kind()).as(text).isEqualTo(m);
      Map<String, double[]> back = m.write(stage);
      // the names written: parameterNames(), less batch's strength when it is 1
      assertThat(back.keySet()).as(text).containsExactlyElementsOf(params.get(s).keySet());
      for (String p : params.get(s).keySet()) {
        // double[] equality is bit for bit (Arrays.equals), so -0.0 and 0.0 differ.
        assertThat(back.get(p))
            .as("%s of stage %d in\n%s", p, s, text)
            .isEqualTo(params.get(s).get(p));
      }
      Optional<ContextualCalibration.Rule> expectedRule =
          m.hasPcfRule()
              ? Optional.of(rules.get(s).orElse(ContextualCalibration.Rule.NORMALISED))
              : Optional.empty();
      assertThat(ContextualCalibration.rule(stage)).as(text).isEqualTo(expectedRule);
    }
    assertThat(loaded.policy()).as(text).isEqualTo(policy);
    assertThat(loaded.provenance()).as(text).isEqualTo(provenance);

    SavedCalibrator again =
        CalibratorFiles.fromJson(CalibratorFiles.toJson(loaded), Path.of("again.json"));
    assertThat(again).as(text).isEqualTo(loaded);
  }

  /**
   * Valid parameters of a stage of {@code method} over {@code k} labels, named as {@link
   * CalibrationMethod#parameterNames()}.
   */
  private static Map<String, double[]> parameters(CalibrationMethod method, int k, Random random) {
    Map<String, double[]> p = new LinkedHashMap<>();
    switch (method) {
      case IDENTITY -> {}
      case CONTEXTUAL, CONTEXTUAL_SUBTRACTIVE, DOMAIN_CONTEXT, LEAVE_ONE_OUT, GENERATIVE ->
          p.put("bias", bias(k, random));
      case BATCH -> {
        p.put("bias", bias(k, random));
        if (random.nextBoolean()) { // the strength gamma is saved only when it is not 1
          p.put("strength", new double[] {random.nextInt(4) == 0 ? 0.0 : 3 * random.nextDouble()});
        }
      }
      case DIRICHLET -> {
        p.put("weights", affine(k * k, random));
        p.put("bias", affine(k, random));
      }
      case PROTOTYPICAL, ISOTONIC, HISTOGRAM_BINNING, SCALING_BINNING, PLATT, BETA ->
          p.putAll(fitted(method, k, random));
      case TEMPERATURE -> {
        double[] t = {1e-290, 1e290, Double.MAX_VALUE, Math.exp(random.nextGaussian() * 3)};
        p.put("temperature", new double[] {t[random.nextInt(4) == 0 ? random.nextInt(3) : 3]});
      }
      case VECTOR -> {
        p.put("weights", affine(k, random));
        p.put("bias", affine(k, random));
      }
      case MATRIX -> {
        p.put("weights", affine(k * k, random));
        p.put("bias", affine(k, random));
      }
      default ->
          throw new AssertionError(
              "no generator of valid parameters for method '"
                  + method
                  + "' (parameters "
                  + method.parameterNames()
                  + "): add one to this oracle");
    }
    if (method == CalibrationMethod.BATCH && !p.containsKey("strength")) {
      assertThat(p.keySet()).containsExactly("bias");
    } else {
      assertThat(p.keySet()).containsExactlyElementsOf(method.parameterNames());
    }
    return p;
  }

  private static boolean twoLabelsOnly(CalibrationMethod m) {
    return m == CalibrationMethod.PLATT || m == CalibrationMethod.BETA;
  }

  /**
   * Valid parameters of the methods whose parameters have structure (monotone thresholds, bin
   * edges, positive-definite covariances): those of a real fit on random rows, as the registry
   * writes them.
   */
  private static Map<String, double[]> fitted(CalibrationMethod method, int k, Random random) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add("l" + i);
    }
    io.calibra.label.LabelSet labels = io.calibra.label.LabelSet.of(names);
    List<io.calibra.label.LabelDistribution> rows = new ArrayList<>();
    int n = 40 + random.nextInt(80);
    int[] gold = new int[n];
    for (int r = 0; r < n; r++) {
      double[] w = new double[k];
      for (int i = 0; i < k; i++) {
        w[i] = Math.exp(2 * random.nextGaussian());
      }
      io.calibra.label.LabelDistribution d =
          io.calibra.label.LabelDistribution.normalise(labels, w);
      rows.add(d);
      // every label once, then gold drawn from the row's distribution: the scores carry
      // information about the labels, so scaling-binning's temperature step has a fit
      gold[r] = r < k ? r : sample(d, random.nextDouble());
    }
    Calibrator c =
        method
            .fitting(io.calibra.calibrate.MethodFit.LabelledRows.class)
            .map(f -> f.fit(io.calibra.label.LabelledSet.of(rows, gold)))
            .orElseGet(
                () ->
                    method
                        .fitting(io.calibra.calibrate.MethodFit.UnlabelledRows.class)
                        .orElseThrow()
                        .fit(rows));
    return method.write(c);
  }

  /** The label whose cumulative probability first exceeds {@code u}. */
  private static int sample(io.calibra.label.LabelDistribution d, double u) {
    double c = 0;
    for (int i = 0; i < d.size(); i++) {
      c += d.probability(i);
      if (u < c) {
        return i;
      }
    }
    return d.size() - 1;
  }

  /** K positive values summing to 1 within 1e-15, sometimes with subnormal entries. */
  private static double[] bias(int k, Random random) {
    double[] b = new double[k];
    int tiny = random.nextInt(4) == 0 ? random.nextInt(k) : -1;
    double sum = 0;
    for (int i = 0; i < k; i++) {
      b[i] = i == tiny ? 0 : 0.01 + random.nextDouble();
      sum += b[i];
    }
    for (int i = 0; i < k; i++) {
      b[i] /= sum;
    }
    if (tiny >= 0) {
      // Added after normalising: the sum moves by less than an ulp of 1.
      b[tiny] = random.nextBoolean() ? Double.MIN_VALUE : 1e-310;
    }
    return b;
  }

  /** Finite weights or biases of magnitude up to 1e300, with zeros of both signs. */
  private static double[] affine(int n, Random random) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] =
          switch (random.nextInt(8)) {
            case 0 -> random.nextBoolean() ? 0.0 : -0.0;
            case 1 -> (random.nextBoolean() ? 1 : -1) * 1e300;
            case 2 -> random.nextGaussian() * Math.pow(10, random.nextInt(600) - 300);
            case 3 -> random.nextInt(2001) - 1000;
            default -> random.nextGaussian() * 3;
          };
    }
    return v;
  }

  private static String maybe(Random random, String value) {
    return random.nextInt(4) == 0 ? null : value;
  }

  private static String provenance(Provenance p, Random random) {
    List<String> fields = new ArrayList<>();
    Map<String, String> text = new LinkedHashMap<>();
    text.put("method", p.method());
    text.put("fitting_data_sha256", p.fittingDataSha256());
    text.put("template_fingerprint", p.templateFingerprint());
    text.put("scorer_fingerprint", p.scorerFingerprint());
    text.put("model_id", p.modelId());
    text.put("library_version", p.libraryVersion());
    text.put("java_version", p.javaVersion());
    text.put("created", p.created());
    // A null field is written as null or left out; both read as null.
    text.forEach(
        (name, value) -> {
          if (value != null) {
            fields.add(field(name, string(value, random), random));
          } else if (random.nextBoolean()) {
            fields.add(field(name, "null", random));
          }
        });
    if (p.fittingRows() != 0 || random.nextBoolean()) {
      fields.add(field("fitting_rows", Long.toString(p.fittingRows()), random));
    }
    return object(fields, random);
  }

  private static String numbers(double[] values, Random random) {
    List<String> out = new ArrayList<>();
    for (double v : values) {
      out.add(number(v, random));
    }
    return array(out, random);
  }

  /** An exact JSON spelling of {@code v}, chosen at random among equivalent ones. */
  static String number(double v, Random random) {
    if (v == 0) {
      String sign = Double.doubleToRawLongBits(v) < 0 ? "-" : "";
      return sign + (random.nextBoolean() ? "0.0" : "0e0");
    }
    BigDecimal shortest = new BigDecimal(Double.toString(v));
    return switch (random.nextInt(6)) {
      case 0 -> Double.toString(v); // 1.0E-5, 123.456
      case 1 -> shortest.toString().replace("E", random.nextBoolean() ? "E" : "e"); // 1E+300
      case 2 -> shortest.unscaledValue() + "e" + (-shortest.scale());
      case 3 -> new BigDecimal(v).toString(); // the exact binary value, every digit
      case 4 -> {
        String plain = shortest.stripTrailingZeros().toPlainString();
        yield plain.length() > 400 ? Double.toString(v) : plain; // 1e300 as 301 digits
      }
      default -> {
        // d.ddd e n with a leading digit moved: 12.5 as 1.25e1
        BigDecimal s = shortest.stripTrailingZeros();
        int exp = s.precision() - s.scale() - 1;
        String digits = s.unscaledValue().abs().toString();
        String mantissa =
            digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        yield (s.signum() < 0 ? "-" : "") + mantissa + "e" + exp;
      }
    };
  }

  /** A JSON string for {@code s}, escaping non-ASCII characters at random. */
  private static String string(String s, Random random) {
    boolean escapeAll = random.nextBoolean();
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '/' && random.nextBoolean()) {
        sb.append("\\/");
      } else if (c > 126 && escapeAll) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  private static String field(String name, String value, Random random) {
    return ws(random) + "\"" + name + "\"" + ws(random) + ":" + ws(random) + value;
  }

  /** A JSON object of {@code fields}, in random order (JSON objects are unordered). */
  private static String object(List<String> fields, Random random) {
    List<String> shuffled = new ArrayList<>(fields);
    Collections.shuffle(shuffled, random);
    return "{" + String.join("," + ws(random), shuffled) + ws(random) + "}";
  }

  private static String array(List<String> items, Random random) {
    return "[" + ws(random) + String.join(ws(random) + "," + ws(random), items) + ws(random) + "]";
  }

  private static String ws(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> " ";
      case 1 -> "\n  ";
      case 2 -> "\r\n\t";
      default -> "";
    };
  }
}
