package io.calibra.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.RandomData;
import io.calibra.calibrate.MethodSelection;
import io.calibra.metrics.Metrics;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Wherever gold labels are taken as indices they can be given as label names; the two give the same
 * results, and an unknown name is an IllegalArgumentException naming it and listing the labels.
 */
class GoldByNameTest {
  private static final LabelSet LABELS = LabelSet.of("world", "sports", "business");

  @Test
  void namesGiveTheSameSetsMetricsAndSelectionsAsIndices() {
    LabelledSet byIndex = RandomData.labelledSet(LABELS, 120, new Random(6));
    List<String> names = Arrays.stream(byIndex.goldArray()).mapToObj(LABELS::name).toList();
    LabelledSet byName = LabelledSet.of(byIndex.distributions(), names);
    assertThat(byName).isEqualTo(byIndex);
    assertThat(byName.goldName(5)).isEqualTo(names.get(5));
    assertThat(Metrics.evaluate(byIndex.distributions(), names))
        .isEqualTo(Metrics.evaluate(byIndex));
    List<MethodSelection.Candidate> candidates = MethodSelection.defaultCandidates(LABELS, null);
    assertThat(
            MethodSelection.crossValidate(byIndex.distributions(), names, candidates, 4, 9L)
                .table())
        .isEqualTo(MethodSelection.crossValidate(byIndex, candidates, 4, 9L).table());
  }

  @Test
  void anUnknownNameIsNamedWithTheLabels() {
    LabelledSet data = RandomData.labelledSet(LABELS, 5, new Random(1));
    List<String> names = List.of("world", "sports", "World", "business", "world");
    String message =
        "unknown label 'World' at position 2; expected one of [world, sports, business]";
    assertThatThrownBy(() -> LabelledSet.of(data.distributions(), names))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> Metrics.evaluate(data.distributions(), names))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(
            () ->
                MethodSelection.crossValidate(
                    data.distributions(),
                    names,
                    MethodSelection.defaultCandidates(LABELS, null),
                    2,
                    0L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> LABELS.indicesOf(Arrays.asList("world", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("label name 1 is null");
    assertThatThrownBy(() -> LabelledSet.of(data.distributions(), List.of("world")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 rows but 1 gold labels");
    assertThat(LABELS.indicesOf(List.of())).isEmpty();
  }
}
