package io.calibra.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import io.calibra.label.LabelSet;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The valid-input oracle that the fuzz test lacks (it accepts any DataFileException, so a reader
 * that starts rejecting valid files would pass it): seeded generated score files that are valid by
 * construction must parse, every value round-tripping exactly. Probabilities are dyadic (c / 2^m,
 * summing to exactly 1, so normalisation leaves them unchanged) and written as exact decimals in
 * varied but strictly decimal spellings (plain, exponent, upper or lower e, trailing zeros); logits
 * are checked against a softmax computed here. Ids are quoted when they hold commas or quotes; gold
 * is a label name, an index, or empty. Line ends LF or CRLF.
 */
class ScoreFileValidInputTest {
  private static final Path NAME = Path.of("generated.csv");

  static Stream<Integer> seeds() {
    return IntStream.range(0, 300).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void generatedValidProbabilityFilesParseExactly(int seed) {
    Random random = new Random(seed);
    int k = 2 + random.nextInt(7);
    int rows = random.nextInt(40);
    int bits = 1 + random.nextInt(20);
    long total = 1L << bits;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add("label_" + (char) ('a' + i) + (random.nextBoolean() ? "" : " x" + i));
    }
    String eol = random.nextBoolean() ? "\n" : "\r\n";
    StringBuilder file = new StringBuilder("id,gold");
    for (String n : names) {
      file.append(',').append(n);
    }
    file.append(eol);
    double[][] expected = new double[rows][k];
    String[] ids = new String[rows];
    int[] gold = new int[rows];
    for (int r = 0; r < rows; r++) {
      long left = total;
      long[] counts = new long[k];
      for (int i = 0; i < k - 1; i++) {
        counts[i] = left == 0 ? 0 : (long) (random.nextDouble() * (left + 1));
        left -= counts[i];
      }
      counts[k - 1] = left;
      ids[r] = random.nextInt(4) == 0 ? "row \"" + r + "\", quoted" : "r" + r;
      gold[r] = random.nextInt(k + 1) - 1; // -1: no gold
      file.append(csvField(ids[r])).append(',');
      if (gold[r] >= 0) {
        file.append(random.nextBoolean() ? names.get(gold[r]) : Integer.toString(gold[r]));
      }
      for (int i = 0; i < k; i++) {
        BigDecimal exact = new BigDecimal(counts[i]).divide(new BigDecimal(total));
        expected[r][i] = (double) counts[i] / total;
        file.append(',').append(spell(exact, random));
      }
      file.append(eol);
    }
    try (ScoreFileReader reader =
        ScoreFileReader.open(
            new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)),
            NAME,
            ScoreFormat.PROB,
            random.nextBoolean() ? LabelSet.of(names) : null)) {
      assertThat(reader.labels().names()).isEqualTo(names);
      assertThat(reader.hasId()).isTrue();
      assertThat(reader.hasGold()).isTrue();
      for (int r = 0; r < rows; r++) {
        assertThat(reader.hasNext()).as("row %d of\n%s", r, file).isTrue();
        ScoreRow row = reader.next();
        assertThat(row.id()).isEqualTo(ids[r]);
        assertThat(row.gold()).isEqualTo(gold[r]);
        assertThat(row.line()).isEqualTo(r + 2);
        assertThat(row.distribution().toArray())
            .as("row %d of\n%s", r, file)
            .isEqualTo(expected[r]);
      }
      assertThat(reader.hasNext()).isFalse();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void generatedValidLogitFilesParse(int seed) {
    Random random = new Random(1000 + seed);
    int k = 2 + random.nextInt(5);
    int rows = 1 + random.nextInt(20);
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < k; i++) {
      file.append(i == 0 ? "" : ",").append("c").append(i);
    }
    file.append('\n');
    double[][] logits = new double[rows][k];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < k; i++) {
        // A decimal with up to 6 fraction digits and an optional exponent: sign, digits, point.
        long mantissa = random.nextInt(2_000_001) - 1_000_000;
        int exponent = random.nextInt(3) - 1;
        BigDecimal v = BigDecimal.valueOf(mantissa, 6).scaleByPowerOfTen(exponent);
        String text = random.nextBoolean() ? v.toPlainString() : v.toString().replace("E+", "E");
        logits[r][i] = Double.parseDouble(v.toPlainString());
        file.append(i == 0 ? "" : ",").append(text);
      }
      file.append('\n');
    }
    try (ScoreFileReader reader =
        ScoreFileReader.open(
            new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)),
            NAME,
            ScoreFormat.LOGIT,
            null)) {
      for (int r = 0; r < rows; r++) {
        assertThat(reader.hasNext()).as("row %d of\n%s", r, file).isTrue();
        double[] p = reader.next().distribution().toArray();
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits[r]) {
          max = Math.max(max, z);
        }
        double sum = 0;
        for (double z : logits[r]) {
          sum += Math.exp(z - max);
        }
        for (int i = 0; i < k; i++) {
          assertThat(p[i]).isCloseTo(Math.exp(logits[r][i] - max) / sum, within(1e-15));
        }
      }
      assertThat(reader.hasNext()).isFalse();
    }
  }

  /** An exact decimal spelling of {@code v}, chosen at random among equivalent strict forms. */
  private static String spell(BigDecimal v, Random random) {
    BigDecimal stripped = v.stripTrailingZeros();
    return switch (random.nextInt(4)) {
      case 0 ->
          v.toPlainString().contains(".") || v.signum() == 0
              ? v.toPlainString()
              : v.toPlainString() + ".0";
      case 1 -> stripped.toPlainString() + (stripped.scale() > 0 ? "000" : ".000");
      case 2 -> {
        // d.ddd e-n with a lower- or upper-case e.
        if (stripped.signum() == 0) {
          yield "0e0";
        }
        int exp = stripped.precision() - stripped.scale() - 1;
        String digits = stripped.unscaledValue().toString();
        String mantissa =
            digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        yield mantissa + (random.nextBoolean() ? "e" : "E") + exp;
      }
      default -> stripped.toPlainString();
    };
  }

  private static String csvField(String s) {
    if (s.contains(",") || s.contains("\"")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
