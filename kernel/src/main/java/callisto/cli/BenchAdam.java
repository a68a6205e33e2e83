package callisto.cli;

import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The textbook Adam update (PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay) with in-place tensor
 * ops, for the reference workloads until the optimizer library lands.
 */
final class BenchAdam {
    private static final double B1 = 0.9, B2 = 0.999, EPS = 1e-8;
    private final List<Tensor> params;
    private final double lr;
    private final List<Tensor> m = new ArrayList<>(), v = new ArrayList<>();
    private int step;

    BenchAdam(List<Tensor> params, double lr) {
        this.params = params;
        this.lr = lr;
        for (Tensor p : params) {
            m.add(Tensor.zerosLike(p));
            v.add(Tensor.zerosLike(p));
        }
    }

    void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    void step() {
        step++;
        try (var off = GradMode.noGrad()) {
            double c1 = 1 - Math.pow(B1, step), c2 = 1 - Math.pow(B2, step);
            for (int k = 0; k < params.size(); k++) {
                Tensor grad = params.get(k).grad();
                m.get(k).mul_(B1).add_(grad, 1 - B1);
                v.get(k).mul_(B2).add_(grad.mul(grad), 1 - B2);
                Tensor denom = v.get(k).div(c2).sqrt().add(EPS);
                params.get(k).sub_(m.get(k).div(denom), lr / c1);
            }
        }
    }
}
