"""The fold of each row that method selection's cross-validation must use, computed without calibra.

The rule (DirichletCalibration.foldAssignment, used by MethodSelection): shuffle the row indices with a Fisher-Yates shuffle
driven by java.util.Random(seed) -- for i = n-1 down to 1, swap position i with position
nextInt(i + 1) -- then deal the shuffled rows to the folds in turn (the row at position i goes to
fold i % folds). java.util.Random is re-implemented here from its documented 48-bit linear
congruential generator, so the expected folds do not come from the code under test.

    python3 scripts/fold_assignment_reference.py 11 3 12345
prints the draws and the fold of rows 0..n-1 (pinned in MethodSelectionTest).
"""
import sys

MASK = (1 << 48) - 1


class JavaRandom:
    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & MASK

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & MASK
        value = self.seed >> (48 - bits)
        return value - (1 << 32) if value >= 1 << 31 else value

    def next_int(self, bound):
        if bound & -bound == bound:  # a power of two
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31)
            value = bits % bound
            if bits - value + (bound - 1) < 1 << 31:  # no int overflow in Java
                return value


def folds_of(n, folds, seed):
    order = list(range(n))
    random = JavaRandom(seed)
    draws = []
    for i in range(n - 1, 0, -1):
        j = random.next_int(i + 1)
        draws.append(j)
        order[i], order[j] = order[j], order[i]
    fold = [0] * n
    for position, row in enumerate(order):
        fold[row] = position % folds
    return draws, fold


if __name__ == "__main__":
    n, k, s = (int(a) for a in sys.argv[1:4])
    draws, fold = folds_of(n, k, s)
    print("draws", draws)
    print("fold", fold)
