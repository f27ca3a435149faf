package io.calibra.backend.http;

import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import io.calibra.testkit.ScorerContractTest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The testkit's Scorer contract on the completions scorer over the fake server (without the empty
 * prompt: its first token has no log-probability, an error of its own).
 */
class CompletionsContractTest extends ScorerContractTest {
  private final Gpt2Fixture model = new Gpt2Fixture();
  private final FakeOpenAiServer server = new FakeOpenAiServer(model);

  @Override
  protected Scorer createScorer() {
    return OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny").promptsPerRequest(5).build();
  }

  @Override
  protected LabelSet labels() {
    return LabelSet.builder()
        .add("negative", " negative", " terrible")
        .add("positive", " positive", " wonderfully good")
        .build();
  }

  @Override
  protected List<String> prompts() {
    return List.of(
        "a wonderful film",
        "N/A",
        "the plot is thin , the acting wooden and the ending drags on far longer than it should",
        "ok",
        "Review: dull\nSentiment:");
  }

  @AfterAll
  void stop() {
    server.close();
    model.close();
  }
}
