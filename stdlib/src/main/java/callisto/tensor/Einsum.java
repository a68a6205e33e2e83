package callisto.tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * Einstein summation over any number of operands, lowered to sums, permutes, reshapes and batched matmuls
 * (so it is differentiable to any order and fast where matmul is). Operands are contracted left to right;
 * an index that no later operand or the output needs is summed as early as possible. Without {@code ->},
 * the output is the indices that appear once, in alphabetical order (NumPy's rule). Repeated indices within
 * one operand (diagonals) and ellipses are not supported and say so.
 */
final class Einsum {
    private Einsum() {
    }

    static Tensor evaluate(String equation, Tensor... operands) {
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String[] terms = (arrow < 0 ? eq : eq.substring(0, arrow)).split(",", -1);
        if (terms.length != operands.length) {
            throw new IllegalArgumentException("einsum: '" + equation + "' names " + terms.length + " operands, got " + operands.length);
        }
        Map<Character, Integer> sizes = new HashMap<>();
        Map<Character, Integer> counts = new HashMap<>();
        for (int i = 0; i < terms.length; i++) {
            String t = terms[i];
            if (t.length() != operands[i].dim()) {
                throw new IllegalArgumentException("einsum: operand " + i + " has shape " + Shape.str(operands[i].shape)
                        + " but '" + t + "' names " + t.length() + " dims");
            }
            for (int k = 0; k < t.length(); k++) {
                char c = t.charAt(k);
                if (!Character.isLetter(c)) {
                    throw new IllegalArgumentException("einsum: '" + c + "' in '" + equation + "' is not an index letter (ellipses are not supported)");
                }
                if (t.indexOf(c) != k) {
                    throw new IllegalArgumentException("einsum: index '" + c + "' repeats in operand " + i + " ('" + t + "'); diagonals are not supported");
                }
                int size = operands[i].shape[k];
                Integer known = sizes.putIfAbsent(c, size);
                if (known != null && known != size) {
                    throw new IllegalArgumentException("einsum: index '" + c + "' has size " + known + " in one operand and " + size + " in operand " + i);
                }
                counts.merge(c, 1, Integer::sum);
            }
        }
        String out;
        if (arrow < 0) {
            var sb = new StringBuilder();
            counts.keySet().stream().filter(c -> counts.get(c) == 1).sorted().forEach(sb::append);
            out = sb.toString();
        } else {
            out = eq.substring(arrow + 2);
            for (int k = 0; k < out.length(); k++) {
                char c = out.charAt(k);
                if (!sizes.containsKey(c)) throw new IllegalArgumentException("einsum: output index '" + c + "' is in no operand");
                if (out.indexOf(c) != k) throw new IllegalArgumentException("einsum: output index '" + c + "' repeats");
            }
        }
        Tensor acc = operands[0];
        String idx = terms[0];
        for (int i = 1; i <= terms.length; i++) {
            var later = new StringBuilder(out);
            for (int j = i; j < terms.length; j++) later.append(terms[j]);
            acc = sumOut(acc, idx, later.toString());
            idx = keep(idx, later.toString());
            if (i == terms.length) break;
            String needed = later.substring(out.length() + terms[i].length()) + out;
            String bIdx = terms[i];
            Tensor b = sumOut(operands[i], bIdx, needed + idx);
            bIdx = keep(bIdx, needed + idx);
            String[] result = new String[1];
            acc = pair(acc, idx, b, bIdx, needed, sizes, result);
            idx = result[0];
        }
        int[] perm = new int[out.length()];
        for (int k = 0; k < perm.length; k++) perm[k] = idx.indexOf(out.charAt(k));
        return acc.permute(perm);
    }

    private static String keep(String idx, String needed) {
        var sb = new StringBuilder();
        for (char c : idx.toCharArray()) if (needed.indexOf(c) >= 0) sb.append(c);
        return sb.toString();
    }

    private static Tensor sumOut(Tensor t, String idx, String needed) {
        int[] dims = new int[idx.length()];
        int n = 0;
        for (int k = 0; k < idx.length(); k++) if (needed.indexOf(idx.charAt(k)) < 0) dims[n++] = k;
        return n == 0 ? t : t.sum(java.util.Arrays.copyOf(dims, n), false);
    }

    /** a · b over their shared indices, keeping shared ones that are still {@code needed} as batch dims. */
    private static Tensor pair(Tensor a, String ai, Tensor b, String bi, String needed, Map<Character, Integer> sizes, String[] idx) {
        var batch = new StringBuilder();
        var contracted = new StringBuilder();
        var left = new StringBuilder();
        var right = new StringBuilder();
        for (char c : ai.toCharArray()) {
            if (bi.indexOf(c) < 0) left.append(c);
            else if (needed.indexOf(c) >= 0) batch.append(c);
            else contracted.append(c);
        }
        for (char c : bi.toCharArray()) if (ai.indexOf(c) < 0) right.append(c);
        String aOrder = "" + batch + left + contracted, bOrder = "" + batch + contracted + right;
        Tensor x = a.permute(positions(ai, aOrder)).reshape(product(batch, sizes), product(left, sizes), product(contracted, sizes));
        Tensor y = b.permute(positions(bi, bOrder)).reshape(product(batch, sizes), product(contracted, sizes), product(right, sizes));
        String resultIdx = "" + batch + left + right;
        int[] shape = new int[resultIdx.length()];
        for (int k = 0; k < shape.length; k++) shape[k] = sizes.get(resultIdx.charAt(k));
        idx[0] = resultIdx;
        return x.matmul(y).reshape(shape);
    }

    private static int[] positions(String from, String order) {
        int[] p = new int[order.length()];
        for (int k = 0; k < p.length; k++) p[k] = from.indexOf(order.charAt(k));
        return p;
    }

    private static int product(CharSequence letters, Map<Character, Integer> sizes) {
        int n = 1;
        for (int k = 0; k < letters.length(); k++) n *= sizes.get(letters.charAt(k));
        return n;
    }
}
