package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calibra metrics} on the same rows, all at probability 0.5, in two orders: the equal-mass
 * ECE (streamed in three passes), ACE and KS do not depend on the order, and the bootstrap
 * intervals (computed in memory, on resamples in random order) contain the estimates.
 */
class CliTiedRowsMetricsTest {
  @TempDir Path tmp;

  /** 20 rows of p = (0.5, 0.5), predicting 'a'; gold 'a' for 15 of them. */
  private Path halves(String name, boolean correctFirst) throws IOException {
    StringBuilder csv = new StringBuilder("gold,a,b\n");
    for (int i = 0; i < 20; i++) {
      boolean correct = correctFirst ? i < 15 : i % 4 != 3;
      csv.append(correct ? "a" : "b").append(",0.5,0.5\n");
    }
    return new TestDir(tmp).write(name, csv.toString());
  }

  private static JsonNode metrics(Path file) throws IOException {
    Cli r =
        Cli.run(
                "metrics",
                "--input",
                file,
                "--scores",
                "prob",
                "--json",
                "--statistics",
                "--bootstrap",
                "200",
                "--seed",
                "7")
            .ok();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void tiedRowsGiveTheSameMetricsInEitherOrderAndIntervalsContainThem() throws IOException {
    JsonNode sorted = metrics(halves("sorted.csv", true));
    JsonNode mixed = metrics(halves("mixed.csv", false));
    for (String key : new String[] {"ece_equal_mass", "ace", "ks"}) {
      // hand computed: every row has confidence 0.5 and the rows are 15/20 correct, so each
      // group (and the KS curves at the tie's end) compares 0.5 with 0.75
      assertThat(sorted.get(key).asDouble()).as(key).isCloseTo(0.25, within(1e-12));
      assertThat(mixed.get(key).asDouble()).as(key).isCloseTo(0.25, within(1e-12));
      for (JsonNode out : new JsonNode[] {sorted, mixed}) {
        JsonNode ci = out.get("ci").get(key);
        assertThat(ci.get(0).asDouble())
            .as(key + " interval " + ci)
            .isLessThanOrEqualTo(out.get(key).asDouble());
        assertThat(ci.get(1).asDouble())
            .as(key + " interval " + ci)
            .isGreaterThanOrEqualTo(out.get(key).asDouble());
      }
    }
  }
}
