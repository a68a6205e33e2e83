package callisto.fft;

import callisto.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Complex arithmetic on (re, im) pair tensors (last dim 2; see the {@linkplain callisto.fft package}). Every
 * operation is built from real tensor operations, so it is differentiable to any order; leading dims broadcast
 * as in real arithmetic.
 */
public final class Complex {
    private Complex() {
    }

    /** re + i·im as a pair tensor [..., 2]; {@code re} and {@code im} must have one shape. */
    public static Tensor complex(Tensor re, Tensor im) {
        if (!Arrays.equals(re.shape(), im.shape())) {
            throw new IllegalArgumentException("complex: re of shape " + Arrays.toString(re.shape()) + " and im of shape "
                    + Arrays.toString(im.shape()) + " differ; expand one first");
        }
        return Tensor.stack(List.of(re, im), -1);
    }

    /** The real parts [...] (a view). */
    public static Tensor real(Tensor z) {
        return check("real", z).select(-1, 0);
    }

    /** The imaginary parts [...] (a view). */
    public static Tensor imag(Tensor z) {
        return check("imag", z).select(-1, 1);
    }

    /** The elementwise product a·b, broadcasting the non-pair dims. */
    public static Tensor mul(Tensor a, Tensor b) {
        check("mul", a);
        check("mul", b);
        Tensor ar = a.select(-1, 0), ai = a.select(-1, 1), br = b.select(-1, 0), bi = b.select(-1, 1);
        Tensor re = ar.mul(br).sub(ai.mul(bi)), im = ar.mul(bi).add(ai.mul(br));
        return Tensor.stack(List.of(re, im), -1);
    }

    /** The complex conjugate. */
    public static Tensor conj(Tensor z) {
        check("conj", z);
        return z.mul(Tensor.of(1.0, -1.0).to(z.dtype()));
    }

    /** |z| [...]; its gradient is undefined at 0 (as for sqrt), so keep away from exact zeros when training on it. */
    public static Tensor abs(Tensor z) {
        check("abs", z);
        return z.mul(z).sum(-1, false).sqrt();
    }

    /**
     * Einstein summation of two complex operands, e.g. {@code einsum("bix,iox->box", x, w)} (an FNO spectral
     * layer contracting input channels at each mode). The equation names only the non-pair dims; the result is
     * complex. Three real einsums (Gauss's trick: (a+ib)(c+id) = k1 - k3 + i(k1 + k2) with k1 = c(a+b),
     * k2 = a(d-c), k3 = b(c+d)) instead of four.
     */
    public static Tensor einsum(String equation, Tensor a, Tensor b) {
        check("einsum", a);
        check("einsum", b);
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String[] terms = (arrow < 0 ? eq : eq.substring(0, arrow)).split(",", -1);
        if (terms.length != 2) {
            throw new IllegalArgumentException("einsum: '" + equation + "' names " + terms.length + " operands; Complex.einsum takes 2");
        }
        if (terms[0].length() != a.dim() - 1 || terms[1].length() != b.dim() - 1) {
            throw new IllegalArgumentException("einsum: '" + equation + "' names " + terms[0].length() + " and " + terms[1].length()
                    + " dims, but a of shape " + Arrays.toString(a.shape()) + " and b of shape " + Arrays.toString(b.shape())
                    + " have " + (a.dim() - 1) + " and " + (b.dim() - 1) + " besides the (re, im) pair");
        }
        Tensor ar = a.select(-1, 0), ai = a.select(-1, 1), br = b.select(-1, 0), bi = b.select(-1, 1);
        Tensor k1 = Tensor.einsum(equation, ar.add(ai), br);
        Tensor k2 = Tensor.einsum(equation, ar, bi.sub(br));
        Tensor k3 = Tensor.einsum(equation, ai, br.add(bi));
        return Tensor.stack(List.of(k1.sub(k3), k1.add(k2)), -1);
    }

    private static Tensor check(String fn, Tensor z) {
        int[] s = z.shape();
        if (s.length == 0 || s[s.length - 1] != 2) {
            throw new IllegalArgumentException(fn + ": z of shape " + Arrays.toString(s)
                    + " is not complex: its last dim must be 2 (re, im)");
        }
        return z;
    }
}
