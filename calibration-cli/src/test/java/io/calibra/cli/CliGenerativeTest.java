package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.http.FakeOpenAiServer;
import io.calibra.backend.http.Gpt2Fixture;
import io.calibra.backend.onnx.CausalLmSampler;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.calibrate.GenerativeCalibration;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generative calibration end to end through the command line, on the random-weight GPT-2 fixture
 * (onnx-backend's src/test/fixtures/make_gpt2_tiny.py) and on the fake OpenAI-compatible server
 * answering from it. Expected values: the same samples and scores computed through the Java API
 * ({@link GenerativeCalibration#sampleInputs} with {@link CausalLmSampler}, whose draws the Python
 * reference scripts/sampler_reference.py reproduces), and the calibrated rows computed by hand from
 * the written files, {@code q = normalise(p / normalise(mean of the samples' p))}.
 */
class CliGenerativeTest {
  static final String NEG = "negative= negative| terrible";
  static final String POS = "positive= positive| wonderfully good";
  static final LabelSet LABELS =
      LabelSet.builder()
          .add("negative", " negative", " terrible")
          .add("positive", " positive", " wonderfully good")
          .build();

  @TempDir Path tmp;

  Path template() throws IOException {
    return Files.writeString(
        tmp.resolve("template.json"),
        "{\"input_prefix\": \"Review: \", \"input_answer_separator\": \"\\n\","
            + " \"answer_prefix\": \"Sentiment:\", \"demonstration_separator\": \"\\n\\n\","
            + " \"demonstrations\": [{\"text\": \"a gem\", \"label\": \"positive\"}, {\"text\":"
            + " \"dull\", \"label\": \"negative\"}]}",
        StandardCharsets.UTF_8);
  }

  static PromptTemplate javaTemplate() {
    return PromptTemplate.builder(LABELS)
        .inputPrefix("Review: ")
        .inputAnswerSeparator("\n")
        .answerPrefix("Sentiment:")
        .demonstrationSeparator("\n\n")
        .demonstration("a gem", "positive")
        .demonstration("dull", "negative")
        .build();
  }

  Path inputs() throws IOException {
    return Files.writeString(
        tmp.resolve("texts.csv"),
        "id,text\nt0,dull and slow\nt1,a gem of a film\n",
        StandardCharsets.UTF_8);
  }

  Cli causal(String out, String gen, String... more) throws IOException {
    List<String> args = causalScore(out);
    args.addAll(List.of("--generative-output", tmp.resolve(gen).toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /** {@code score} on the GPT-2 fixture with the test's template and inputs, to {@code out}. */
  List<String> causalScore(String out) throws IOException {
    return new ArrayList<>(
        List.of(
            "score",
            "--backend",
            "causal",
            "--model-dir",
            Gpt2Fixture.folder().toString(),
            "--label",
            NEG,
            "--label",
            POS,
            "--template",
            template().toString(),
            "--input",
            inputs().toString(),
            "--output",
            tmp.resolve(out).toString()));
  }

  /** The negative and positive columns of a score file, found by the header's names. */
  static List<double[]> labelColumns(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> header = List.of(lines.get(0).split(",", -1));
    int neg = header.indexOf("negative");
    int pos = header.indexOf("positive");
    assertThat(neg).as("%s header %s", file, header).isNotNegative();
    assertThat(pos).as("%s header %s", file, header).isNotNegative();
    List<double[]> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      out.add(new double[] {Double.parseDouble(f[neg]), Double.parseDouble(f[pos])});
    }
    return out;
  }

  static double[] normalise(double[] logp) {
    double m = Math.max(logp[0], logp[1]);
    double a = Math.exp(logp[0] - m);
    double b = Math.exp(logp[1] - m);
    return new double[] {a / (a + b), b / (a + b)};
  }

  @Test
  void causalSamplesAreReproducibleEqualTheJavaApiAndFitGenerative() throws IOException {
    Cli first =
        causal(
            "s1.csv",
            "gen1.csv",
            "--generative-samples",
            "6",
            "--seed",
            "11",
            "--generative-max-tokens",
            "6");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.err()).contains("gen1.csv");
    Cli again =
        causal(
            "s2.csv",
            "gen2.csv",
            "--generative-samples",
            "6",
            "--seed",
            "11",
            "--generative-max-tokens",
            "6");
    assertThat(again.code()).as(again.err()).isZero();
    List<String> gen = Files.readAllLines(tmp.resolve("gen1.csv"), StandardCharsets.UTF_8);
    assertThat(gen).isEqualTo(Files.readAllLines(tmp.resolve("gen2.csv")));
    assertThat(gen.get(0)).isEqualTo("id,negative,positive");
    assertThat(gen).hasSize(7);
    for (int i = 0; i < 6; i++) {
      assertThat(gen.get(i + 1)).startsWith("sample-" + i + ",");
    }
    Cli other =
        causal(
            "s3.csv",
            "gen3.csv",
            "--generative-samples",
            "6",
            "--seed",
            "12",
            "--generative-max-tokens",
            "6");
    assertThat(other.code()).as(other.err()).isZero();
    assertThat(Files.readAllLines(tmp.resolve("gen3.csv"))).isNotEqualTo(gen);

    // the same samples and scores through the Java API
    PromptTemplate t = javaTemplate();
    List<String> samples;
    List<LabelScores> scores;
    ModelSource source = ModelSource.directory(Gpt2Fixture.folder());
    try (CausalLmSampler sampler = OnnxScorers.causalLm(source).buildSampler();
        Scorer scorer = OnnxScorers.causalLm(source).build()) {
      samples = GenerativeCalibration.sampleInputs(sampler, t, 6, 6, 11);
      scores = scorer.scoreAll(t.renderAll(samples), LABELS);
    }
    assertThat(samples).doesNotContain("\n");
    List<double[]> written = labelColumns(tmp.resolve("gen1.csv"));
    for (int i = 0; i < 6; i++) {
      assertThat(written.get(i)[0]).isCloseTo(scores.get(i).score(0), within(1e-9));
      assertThat(written.get(i)[1]).isCloseTo(scores.get(i).score(1), within(1e-9));
    }

    // fit --method generative on the file, then calibrate the scored texts
    Path model = tmp.resolve("gen.json");
    Cli fit =
        Cli.run(
            "fit",
            "--method",
            "generative",
            "--content-free",
            tmp.resolve("gen1.csv").toString(),
            "--scores",
            "logprob",
            "--output",
            model.toString());
    assertThat(fit.code()).as(fit.err()).isZero();
    Path calibrated = tmp.resolve("cal.csv");
    Cli cal =
        Cli.run(
            "calibrate",
            "--model",
            model.toString(),
            "--scores",
            "logprob",
            "--input",
            tmp.resolve("s1.csv").toString(),
            "--output",
            calibrated.toString());
    assertThat(cal.code()).as(cal.err()).isZero();
    double[] mean = new double[2];
    for (double[] row : written) {
      double[] p = normalise(row);
      mean[0] += p[0] / written.size();
      mean[1] += p[1] / written.size();
    }
    double[] pGen = {mean[0] / (mean[0] + mean[1]), mean[1] / (mean[0] + mean[1])};
    List<double[]> raw = labelColumns(tmp.resolve("s1.csv"));
    List<double[]> got = labelColumns(calibrated);
    assertThat(got).hasSize(2);
    for (int i = 0; i < 2; i++) {
      double[] p = normalise(raw.get(i));
      double a = p[0] / pGen[0];
      double b = p[1] / pGen[1];
      assertThat(got.get(i)[0]).isCloseTo(a / (a + b), within(1e-6));
      assertThat(got.get(i)[1]).isCloseTo(b / (a + b), within(1e-6));
    }
  }

  @Test
  void openaiCompletionsSamplesThroughTheServer() throws IOException {
    try (Gpt2Fixture fixture = new Gpt2Fixture();
        FakeOpenAiServer server = new FakeOpenAiServer(fixture)) {
      List<List<String>> files = new ArrayList<>();
      for (String name : new String[] {"a", "b"}) {
        Cli run =
            Cli.run(
                "score",
                "--backend",
                "openai",
                "--base-url",
                server.baseUrl(),
                "--model",
                "gpt2-tiny",
                "--api-key-env",
                "CALIBRA_TEST_API_KEY",
                "--label",
                NEG,
                "--label",
                POS,
                "--template",
                template().toString(),
                "--input",
                inputs().toString(),
                "--output",
                tmp.resolve(name + ".csv").toString(),
                "--generative-output",
                tmp.resolve(name + "-gen.csv").toString(),
                "--generative-samples",
                "4",
                "--seed",
                "5",
                "--generative-max-tokens",
                "4");
        assertThat(run.code()).as(run.err()).isZero();
        files.add(Files.readAllLines(tmp.resolve(name + "-gen.csv")));
      }
      assertThat(files.get(0)).hasSize(5).isEqualTo(files.get(1));
      // one sampling request per run, with the documented fields
      List<String> sampling =
          server.bodies().stream().filter(b -> b.contains("\"temperature\":1")).toList();
      assertThat(sampling).hasSize(2);
      assertThat(sampling.get(0))
          .contains("\"n\":4", "\"seed\":5", "\"max_tokens\":4", "\"stop\":[\"\\n\"]");
    }
  }

  @Test
  void usageErrors() throws IOException {
    Cli masked =
        Cli.run(
            "score",
            "--backend",
            "masked",
            "--model-dir",
            ".",
            "--label",
            NEG,
            "--label",
            POS,
            "--template",
            template().toString(),
            "--input",
            inputs().toString(),
            "--output",
            tmp.resolve("o.csv").toString(),
            "--generative-output",
            tmp.resolve("g.csv").toString());
    assertThat(masked.code()).isEqualTo(2);
    assertThat(masked.err()).contains("--generative-output samples inputs from the model");
    Cli seedAlone = causalNoGenerative("--seed", "3");
    assertThat(seedAlone.code()).isEqualTo(2);
    // the sampling options form a group that needs --generative-output
    assertThat(seedAlone.err())
        .contains("Missing required argument(s): --generative-output=<file>");
    Cli zero = causal("o.csv", "g.csv", "--generative-samples", "0");
    assertThat(zero.code()).isEqualTo(2);
    Cli noSlot =
        Cli.run(
            "score",
            "--backend",
            "causal",
            "--model-dir",
            Gpt2Fixture.folder().toString(),
            "--label",
            NEG,
            "--label",
            POS,
            "--input",
            inputs().toString(),
            "--output",
            tmp.resolve("o.csv").toString(),
            "--generative-output",
            tmp.resolve("g.csv").toString());
    assertThat(noSlot.code()).isEqualTo(2);
    assertThat(noSlot.err()).contains("there is none; give a --template");
    assertThat(tmp.resolve("o.csv")).doesNotExist();
    assertThat(tmp.resolve("g.csv")).doesNotExist();
  }

  Cli causalNoGenerative(String... more) throws IOException {
    List<String> args = causalScore("o.csv");
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }
}
