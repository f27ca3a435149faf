package io.calibra.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.cli.TestDir;
import io.calibra.io.AtomicOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs of one command: started early, replaced together or not at all. */
class OutputGroupTest {
  @TempDir Path tmp;

  @Test
  void everyFileIsReplacedAtCommitAndStandardOutputPrintedAfter() throws IOException {
    Path a = Files.writeString(tmp.resolve("a.csv"), "old a\n");
    Path b = tmp.resolve("b.csv");
    StringWriter out = new StringWriter();
    try (OutputGroup group = new OutputGroup(new PrintWriter(out))) {
      group.open(a);
      group.open(b);
      group.open(Path.of("-"));
      group.content(a, "new a\n");
      group.content(b, "new b\n");
      group.content(Path.of("-"), "to stdout\n");
      assertThat(Files.readString(a)).isEqualTo("old a\n");
      assertThat(b).doesNotExist();
      assertThat(out.toString()).isEmpty();
      group.commit();
    }
    assertThat(Files.readString(a)).isEqualTo("new a\n");
    assertThat(Files.readString(b)).isEqualTo("new b\n");
    assertThat(out.toString()).isEqualTo("to stdout\n");
    TestDir.assertNoTemporaryFiles(tmp);
  }

  @Test
  void aGroupThatFailsBeforeItsEndReplacesNothing() throws IOException {
    Path a = Files.writeString(tmp.resolve("a.csv"), "old a\n");
    Path b = Files.writeString(tmp.resolve("b.csv"), "old b\n");
    try (OutputGroup group = new OutputGroup(new PrintWriter(new StringWriter()))) {
      group.open(a);
      group.open(b);
      group.content(a, "new a\n");
      // b's content never came (its scoring failed)
      assertThatThrownBy(group::commit).hasMessageContaining("no content for " + b);
    }
    assertThat(Files.readString(a)).isEqualTo("old a\n");
    assertThat(Files.readString(b)).isEqualTo("old b\n");
    TestDir.assertNoTemporaryFiles(tmp);
  }

  @Test
  void aMissingFolderIsFoundWhenTheGroupStarts() {
    Path missing = tmp.resolve("no-such-folder").resolve("a.csv");
    try (OutputGroup group = new OutputGroup(new PrintWriter(new StringWriter()))) {
      assertThatThrownBy(() -> group.open(missing))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("does not exist");
    }
  }

  @Test
  void aSyncedFileIsStillNotInPlaceUntilCommit() throws IOException {
    Path file = Files.writeString(tmp.resolve("s.csv"), "old\n");
    try (AtomicOutput out = AtomicOutput.open(file)) {
      out.stream().write("new\n".getBytes(StandardCharsets.UTF_8));
      out.sync();
      assertThat(Files.readString(file)).isEqualTo("old\n");
      out.commit();
    }
    assertThat(Files.readString(file)).isEqualTo("new\n");
  }
}
