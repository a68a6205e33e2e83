package callisto.fft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.DType;
import callisto.tensor.GradCheck;
import callisto.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ComplexTest {
    @Test
    void partsAndArithmeticMatchComplexNumbers() {
        var r = new SplittableRandom(1);
        Tensor re = FFTTest.random(r, 3, 4), im = FFTTest.random(r, 3, 4);
        Tensor z = Complex.complex(re, im);
        assertArrayEquals(new int[] {3, 4, 2}, z.shape());
        assertArrayEquals(re.toArray(), Complex.real(z).toArray());
        assertArrayEquals(im.toArray(), Complex.imag(z).toArray());
        Tensor w = FFTTest.random(r, 4, 2); // broadcasts over the leading dim
        double[] zs = z.toArray(), ws = w.toArray(), prod = Complex.mul(z, w).toArray(), conj = Complex.conj(z).toArray();
        double[] abs = Complex.abs(z).toArray();
        for (int i = 0; i < 12; i++) {
            double a = zs[2 * i], b = zs[2 * i + 1], c = ws[2 * (i % 4)], d = ws[2 * (i % 4) + 1];
            assertEquals(a * c - b * d, prod[2 * i], 1e-15);
            assertEquals(a * d + b * c, prod[2 * i + 1], 1e-15);
            assertEquals(a, conj[2 * i]);
            assertEquals(-b, conj[2 * i + 1]);
            assertEquals(Math.hypot(a, b), abs[i], 1e-15);
        }
        assertEquals(DType.FLOAT32, Complex.conj(z.to(DType.FLOAT32)).dtype());
    }

    /** The FNO contraction at each mode x: out[b, o, x] = Σ_i in[b, i, x] · w[i, o, x], by complex loops. */
    @Test
    void einsumMatchesTheComplexSum() {
        var r = new SplittableRandom(2);
        int nb = 2, ni = 3, no = 4, nx = 5;
        Tensor a = FFTTest.random(r, nb, ni, nx, 2), w = FFTTest.random(r, ni, no, nx, 2);
        double[] as = a.toArray(), ws = w.toArray(), out = Complex.einsum("bix,iox->box", a, w).toArray();
        for (int b = 0; b < nb; b++) {
            for (int o = 0; o < no; o++) {
                for (int x = 0; x < nx; x++) {
                    double sr = 0, si = 0;
                    for (int i = 0; i < ni; i++) {
                        int p = 2 * ((b * ni + i) * nx + x), q = 2 * ((i * no + o) * nx + x);
                        sr += as[p] * ws[q] - as[p + 1] * ws[q + 1];
                        si += as[p] * ws[q + 1] + as[p + 1] * ws[q];
                    }
                    int t = 2 * ((b * no + o) * nx + x);
                    assertEquals(sr, out[t], 1e-13);
                    assertEquals(si, out[t + 1], 1e-13);
                }
            }
        }
        // a plain matrix product, output order chosen by the equation
        Tensor m = FFTTest.random(r, 2, 3, 2), v = FFTTest.random(r, 3, 2);
        Tensor mv = Complex.einsum("ij,j->i", m, v);
        Tensor byMul = Complex.mul(m, v.reshape(1, 3, 2)).sum(1, false);
        assertArrayEquals(byMul.toArray(), mv.toArray(), 1e-14);
    }

    @Test
    void derivativesOfEveryOrder() {
        var r = new SplittableRandom(3);
        Tensor a = FFTTest.random(r, 2, 3, 2), b = FFTTest.random(r, 3, 2);
        GradCheck.gradcheck(t -> Complex.mul(t[0], t[1]), a, b);
        GradCheck.gradgradcheck(t -> Complex.mul(t[0], t[1]), a, b);
        GradCheck.gradcheck(t -> Complex.conj(t[0]), a);
        // |z| away from 0: shift the values off the origin
        Tensor away = a.add(Tensor.of(1.5, 0.5));
        GradCheck.gradcheck(t -> Complex.abs(t[0]), away);
        GradCheck.gradgradcheck(t -> Complex.abs(t[0]), away);
        Tensor x = FFTTest.random(r, 2, 2, 3, 2), w = FFTTest.random(r, 2, 2, 3, 2);
        GradCheck.gradcheck(t -> Complex.einsum("bix,iox->box", t[0], t[1]), x, w);
        GradCheck.gradgradcheck(t -> Complex.einsum("bix,iox->box", t[0], t[1]), x, w);
        GradCheck.gradgradcheck(t -> Complex.complex(t[0], t[1].mul(t[0])), FFTTest.random(r, 3), FFTTest.random(r, 3));
    }

    /** PyTorch's convention: for L = |z|², dL/dre = 2 re, dL/dim = 2 im, i.e. the stored gradient is 2z. */
    @Test
    void gradientsAreStoredAsPartialsOfReAndIm() {
        Tensor z = Tensor.of(new double[] {0.5, -2}, 2).requiresGrad(true);
        Complex.abs(z).pow(2).sum().backward();
        assertArrayEquals(new double[] {1, -4}, z.grad().toArray(), 1e-14);
    }

    @Test
    void badInputIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Complex.mul(Tensor.zeros(3), Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().startsWith("mul:") && e.getMessage().contains("[3]"), e.getMessage());
        var c = assertThrows(IllegalArgumentException.class, () -> Complex.complex(Tensor.zeros(3), Tensor.zeros(4)));
        assertTrue(c.getMessage().startsWith("complex:") && c.getMessage().contains("[4]"), c.getMessage());
        var s = assertThrows(IllegalArgumentException.class,
                () -> Complex.einsum("bix,io->bo", Tensor.zeros(2, 3, 4, 2), Tensor.zeros(3, 5, 4, 2)));
        assertTrue(s.getMessage().startsWith("einsum:") && s.getMessage().contains("[3, 5, 4, 2]"), s.getMessage());
        var n = assertThrows(IllegalArgumentException.class,
                () -> Complex.einsum("i,i,i->", Tensor.zeros(3, 2), Tensor.zeros(3, 2)));
        assertTrue(n.getMessage().contains("3 operands"), n.getMessage());
    }
}
