package io.calibra.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The score files' number grammar, strict UTF-8 with line and column, linear header reading, the
 * gold-index message and the probabilities-read-as-logits hint.
 */
class ScoreFileGrammarTest {
  @TempDir Path tmp;

  /** The documented grammar, written independently as a regular expression (the oracle). */
  private static final Pattern DOCUMENTED =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?Infinity|NaN");

  private Path write(String name, byte[] content) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, content);
    return p;
  }

  private Path write(String name, String content) throws IOException {
    return write(name, content.getBytes(StandardCharsets.UTF_8));
  }

  private static List<ScoreRow> readAll(Path file, ScoreFormat format) {
    List<ScoreRow> rows = new ArrayList<>();
    try (ScoreFileReader r = ScoreFileReader.open(file, format)) {
      r.forEachRemaining(rows::add);
    }
    return rows;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"5", "5.", ".5", "0.5", "-0.5", "+0.5", "1e-3", "1E+3", "2.5e10", "-Infinity"})
  void acceptsTheDocumentedDecimalGrammar(String number) throws IOException {
    Path f = write("ok.csv", "a,b\n" + number + ",0\n");
    List<ScoreRow> rows = readAll(f, ScoreFormat.LOGIT);
    assertThat(rows).hasSize(1);
    // the value is Double.parseDouble's: softmax of (x, 0) gives p_a = 1 / (1 + exp(-x))
    double x = Double.parseDouble(number);
    assertThat(rows.get(0).distribution().probability(0))
        .isCloseTo(1 / (1 + Math.exp(-x)), org.assertj.core.data.Offset.offset(1e-12));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0x1p-1", "1d", "1.5f", "1D", "1F", "0X10", "1_000", "inf", "-inf", "nan", "-NaN", "+NaN",
        "Infinityx", "infinity", "e5", ".", "-", "+", "1e", "1e+", "1.e", "--1", "1..2", "١",
        "1 2", "0.5\u00a0", "\u000b1"
      })
  void rejectsEverythingElseNamingFileLineAndColumn(String number) throws IOException {
    Path f = write("bad.csv", "id,a,b\nx,0.5,0.5\ny,0.5," + number + "\n");
    assertThatThrownBy(() -> readAll(f, ScoreFormat.LOGIT))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("bad.csv:3:3")
        .hasMessageContaining("is not a number; expected a decimal");
  }

  @Test
  void spacesAndTabsAroundANumberAreIgnored() throws IOException {
    Path f = write("pad.csv", "a,b\n 0.25\t,\t0.75 \n");
    assertThat(readAll(f, ScoreFormat.PROB).get(0).distribution().probability(1)).isEqualTo(0.75);
  }

  @Test
  void nanIsRecognisedAndRejectedAsBefore() throws IOException {
    Path f = write("nan.csv", "a,b\nNaN,0\n");
    assertThatThrownBy(() -> readAll(f, ScoreFormat.LOGIT))
        .hasMessageContaining("nan.csv:2:1")
        .hasMessageContaining("NaN for label 'a'");
  }

  @Test
  void theValidatorAgreesWithTheDocumentedGrammarOnRandomStrings() {
    // seeded property test: random strings over the characters that matter, against the regex
    String alphabet = "0123456789.eE+-xXpPdDfFINaity ";
    Random random = new Random(17);
    int accepted = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(8);
      for (int j = 0; j < length; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (random.nextInt(50) == 0) {
        sb.insert(random.nextInt(sb.length() + 1), random.nextBoolean() ? "Infinity" : "NaN");
      }
      String s = sb.toString();
      boolean expected = DOCUMENTED.matcher(s).matches();
      assertThat(ScoreFileReader.isDecimal(s)).as("'%s'", s).isEqualTo(expected);
      if (expected) {
        accepted++;
        Double.parseDouble(s); // everything accepted is something parseDouble reads
      }
    }
    assertThat(accepted).isGreaterThan(1000);
  }

  @Test
  void badUtf8NamesTheLineAndField() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("id,a,b\nr1,0.5,0.5\nr\u00e9".getBytes(StandardCharsets.UTF_8));
    b.writeBytes(new byte[] {','});
    b.writeBytes(new byte[] {'0', '.', (byte) 0xFF, '5'});
    b.writeBytes(",0.5\n".getBytes(StandardCharsets.UTF_8));
    Path f = write("latin.csv", b.toByteArray());
    assertThatThrownBy(() -> readAll(f, ScoreFormat.PROB))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("latin.csv:3:2")
        .hasMessageContaining("not valid UTF-8")
        .hasMessageContaining("0xFF at byte offset 24");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "C0AF", // overlong '/'
        "E080AF", // overlong
        "EDA080", // an encoded surrogate
        "F4908080", // above U+10FFFF
        "80", // a lone continuation byte
        "E282", // cut short before a comma
        "FE"
      })
  void malformedSequencesAreRefused(String hex) throws IOException {
    byte[] bad = java.util.HexFormat.of().parseHex(hex);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("id,a,b\n\"".getBytes(StandardCharsets.UTF_8));
    b.writeBytes(bad);
    b.writeBytes("\",0.5,0.5\n".getBytes(StandardCharsets.UTF_8));
    Path f = write("bad.csv", b.toByteArray());
    assertThatThrownBy(() -> readAll(f, ScoreFormat.PROB))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("bad.csv:2:1")
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void validMultiByteTextIncludingSupplementaryCharactersIsRead() throws IOException {
    String id = "caf\u00e9 \u20ac \uD83D\uDE00 \u4e2d";
    Path f = write("utf8.csv", "\uFEFFid,n\u00e9g,pos\n" + id + ",0.5,0.5\n");
    try (ScoreFileReader r = ScoreFileReader.open(f, ScoreFormat.PROB)) {
      assertThat(r.labels().names()).containsExactly("n\u00e9g", "pos");
      assertThat(r.next().id()).isEqualTo(id);
    }
  }

  @Test
  void aHeaderOfAMillionColumnsIsReadInLinearTime() throws IOException {
    // a generous bound, far from the quadratic reader, which took over ten
    // minutes; the linear one takes about a second (benchmarks/README.md)
    int columns = 1_000_000;
    StringBuilder sb = new StringBuilder(columns * 9);
    for (int c = 0; c < columns; c++) {
      sb.append(c == 0 ? "" : ",").append('l').append(c);
    }
    sb.append('\n');
    for (int c = 0; c < columns; c++) {
      sb.append(c == 0 ? "" : ",").append(c == 7 ? "1" : "0");
    }
    sb.append('\n');
    Path f = write("wide.csv", sb.toString());
    long start = System.nanoTime();
    try (ScoreFileReader r = ScoreFileReader.open(f, ScoreFormat.LOGIT)) {
      assertThat(r.labels().size()).isEqualTo(columns);
      assertThat(r.next().distribution().argmax()).isEqualTo(7);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(seconds).as("seconds to read a 1,000,000-column header and row").isLessThan(60);
  }

  @Test
  void aNumericGoldOutOfRangeSaysIndicesAreZeroBasedAndListsTheLabels() throws IOException {
    // AG News style: gold numbered 1..4 for four labels
    Path f =
        write(
            "agnews.csv",
            "gold,World,Sports,Business,Sci/Tech\n1,0.7,0.1,0.1,0.1\n4,0.1,0.1,0.1,0.7\n");
    assertThatThrownBy(() -> readAll(f, ScoreFormat.PROB))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("agnews.csv:3:1")
        .hasMessageContaining("gold 4 is out of range")
        .hasMessageContaining("0-based label indices 0..3")
        .hasMessageContaining("[World, Sports, Business, Sci/Tech]");
    assertThat(ScoreFileReader.goldIndex(LabelSet.of("a", "b"), "1")).isEqualTo(1);
    assertThat(ScoreFileReader.goldIndex(LabelSet.of("a", "b"), "b")).isEqualTo(1);
    assertThatThrownBy(() -> ScoreFileReader.goldIndex(LabelSet.of("a", "b"), "99999999999"))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> ScoreFileReader.goldIndex(LabelSet.of("a", "b"), "c"))
        .hasMessageContaining("gold 'c' is not a label; expected one of [a, b]");
  }

  @Test
  void probabilityRowsReadAsLogitsAreFlagged() throws IOException {
    Path probs = write("p.csv", "a,b,c\n0.2,0.3,0.5\n1,0,0\n0.1,0.1,0.8\n");
    Path logits = write("l.csv", "a,b,c\n0.2,0.3,0.5\n2.0,-1,0\n");
    Path almost = write("q.csv", "a,b,c\n0.2,0.3,0.5\n0.2,0.3,0.4999\n");
    Path empty = write("e.csv", "a,b,c\n");
    assertThat(flagged(probs, ScoreFormat.LOGIT)).isTrue();
    // a probability above 0 is no log-probability: the first one stops the read, with a hint
    assertThatThrownBy(() -> flagged(probs, ScoreFormat.LOGPROB))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("p.csv:2:1: log-probability for label 'a' (index 0) is 0.2")
        .hasMessageContaining("the file may hold probabilities (score format prob)");
    assertThat(flagged(probs, ScoreFormat.PROB)).isFalse();
    assertThat(flagged(logits, ScoreFormat.LOGIT)).isFalse();
    assertThat(flagged(almost, ScoreFormat.LOGIT)).isFalse();
    assertThat(flagged(empty, ScoreFormat.LOGIT)).isFalse();
  }

  private static boolean flagged(Path file, ScoreFormat format) {
    try (ScoreFileReader r = ScoreFileReader.open(file, format)) {
      r.forEachRemaining(row -> {});
      return r.rowsLookLikeProbabilities();
    }
  }
}
