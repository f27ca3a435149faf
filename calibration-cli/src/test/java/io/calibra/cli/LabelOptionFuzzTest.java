package io.calibra.cli;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The label-set parser of {@code --label NAME=TEXT} options on arbitrary strings: a label set, or
 * {@link IllegalArgumentException}, nothing else. Fuzz with {@code JAZZER_FUZZ=1 ./mvnw test -pl
 * calibration-cli -Dtest=LabelOptionFuzzTest}.
 */
class LabelOptionFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void parserThrowsOnlyIllegalArgumentException(FuzzedDataProvider data) {
    boolean splitWords = data.consumeBoolean();
    int count = data.consumeInt(0, 6);
    List<String> options = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      options.add(data.consumeString(40));
    }
    try {
      LabelSet labels = LabelOption.parse(options, splitWords);
      if (labels.size() != options.size()) {
        throw new AssertionError(
            "parsed " + labels.size() + " labels from " + options.size() + " options");
      }
    } catch (IllegalArgumentException expected) {
      // the documented outcome for bad input
    }
  }
}
