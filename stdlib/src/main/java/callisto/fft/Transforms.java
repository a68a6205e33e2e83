package callisto.fft;

import callisto.tensor.CustomFunction;
import callisto.tensor.DType;
import callisto.tensor.Tensor;

/**
 * The transforms as custom functions. Each is real-linear on (re, im) pairs, so its vector-Jacobian product is
 * its adjoint under the real inner product, and each adjoint is again one of these transforms (with the dual
 * norm, and for the half spectrum a per-bin weight): gradients of any order come from the same code.
 */
final class Transforms {
    private Transforms() {
    }

    /** fft or ifft over the last non-pair axis, or (twoD) over the last two. Input and output [..., (h,) w, 2]. */
    record Fft(boolean inverse, Norm norm, boolean twoD) implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            return s[0];
        }

        @Override
        public Tensor forward(Tensor... in) {
            Tensor z = in[0];
            int[] s = z.shape();
            int r = s.length, w = s[r - 2], numel = z.numel();
            if (z.dtype() == DType.FLOAT32) {
                float[] a = z.toFloatArray();
                Engine.complex(a, numel / (2 * w), w, 1, inverse, norm.scale(inverse, w));
                if (twoD) Engine.complex(a, numel / (2 * w * s[r - 3]), s[r - 3], w, inverse, norm.scale(inverse, s[r - 3]));
                return Tensor.of(a, s);
            }
            double[] a = z.toArray();
            Engine.complex(a, numel / (2 * w), w, 1, inverse, norm.scale(inverse, w));
            if (twoD) Engine.complex(a, numel / (2 * w * s[r - 3]), s[r - 3], w, inverse, norm.scale(inverse, s[r - 3]));
            return Tensor.of(a, s);
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            return new Tensor[] {Tensor.apply(new Fft(!inverse, norm.dual(), twoD), g)};
        }
    }

    /** rfft over the last axis (then, twoD, fft over the one before): [..., (h,) n] to [..., (h,) n/2+1, 2]. */
    record Rfft(Norm norm, boolean twoD) implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            int[] out = java.util.Arrays.copyOf(s[0], s[0].length + 1);
            out[out.length - 2] = s[0][s[0].length - 1] / 2 + 1;
            out[out.length - 1] = 2;
            return out;
        }

        @Override
        public Tensor forward(Tensor... in) {
            Tensor x = in[0];
            int[] s = x.shape(), o = shape(s);
            int r = s.length, n = s[r - 1], rows = x.numel() / n, bins = n / 2 + 1;
            if (x.dtype() == DType.FLOAT32) {
                float[] a = Engine.rfft(x.toFloatArray(), rows, n, norm.scale(false, n));
                if (twoD) Engine.complex(a, rows / s[r - 2], s[r - 2], bins, false, norm.scale(false, s[r - 2]));
                return Tensor.of(a, o);
            }
            double[] a = Engine.rfft(x.toArray(), rows, n, norm.scale(false, n));
            if (twoD) Engine.complex(a, rows / s[r - 2], s[r - 2], bins, false, norm.scale(false, s[r - 2]));
            return Tensor.of(a, o);
        }

        /**
         * The half spectrum stands for the full one: bin k in (0, n/2) also stands for its mirror n-k, which the
         * adjoint of the full transform (an inverse transform) would count twice. Halving those bins first makes
         * irfft's Hermitian doubling exact; DC and, for even n, Nyquist have no mirror and keep weight 1.
         */
        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            int n = in[0].size(-1);
            Tensor weighted = g.mul(binWeights(n, 0.5, g.dtype()));
            int h = twoD ? in[0].size(-2) : 0;
            return new Tensor[] {Tensor.apply(new Irfft(h, n, norm.dual(), twoD), weighted)};
        }
    }

    /** irfft to n real points over the last axis (after, twoD, ifft over h): [..., (h,) n/2+1, 2] to [..., (h,) n]. */
    record Irfft(int h, int n, Norm norm, boolean twoD) implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            int[] out = java.util.Arrays.copyOf(s[0], s[0].length - 1);
            out[out.length - 1] = n;
            return out;
        }

        @Override
        public Tensor forward(Tensor... in) {
            Tensor z = in[0];
            int[] s = z.shape(), o = shape(s);
            int bins = n / 2 + 1, rows = z.numel() / (2 * bins);
            if (z.dtype() == DType.FLOAT32) {
                float[] a = z.toFloatArray();
                if (twoD) Engine.complex(a, rows / h, h, bins, true, norm.scale(true, h));
                return Tensor.of(Engine.irfft(a, rows, n, norm.inverseRelative(n)), o);
            }
            double[] a = z.toArray();
            if (twoD) Engine.complex(a, rows / h, h, bins, true, norm.scale(true, h));
            return Tensor.of(Engine.irfft(a, rows, n, norm.inverseRelative(n)), o);
        }

        /**
         * irfft reads bin k in (0, n/2) twice (as itself and as its mirror's conjugate) and only the real part of
         * DC and Nyquist: its adjoint is rfft with those bins doubled. The imaginary parts it drops get rfft's
         * exact zeros there.
         */
        @Override
        public Tensor[] backward(Tensor[] in, Tensor out, Tensor g) {
            Tensor spectrum = Tensor.apply(new Rfft(norm.dual(), twoD), g);
            return new Tensor[] {spectrum.mul(binWeights(n, 2, g.dtype()))};
        }
    }

    /** [n/2+1, 1]: 1 for DC and (n even) Nyquist, {@code mirrored} for the bins that have a mirror. */
    static Tensor binWeights(int n, double mirrored, DType dtype) {
        double[] w = new double[n / 2 + 1];
        java.util.Arrays.fill(w, mirrored);
        w[0] = 1;
        if (n % 2 == 0) w[n / 2] = 1;
        return Tensor.of(w, w.length, 1).to(dtype);
    }
}
