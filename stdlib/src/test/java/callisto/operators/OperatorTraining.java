package callisto.operators;

import callisto.nn.Module;
import callisto.optim.Optimizers;
import callisto.pde.Darcy;
import callisto.tensor.Generator;
import callisto.tensor.Losses;
import callisto.tensor.Tensor;

/** A few full-batch Adam steps on 1-D Darcy flow, coefficient to solution, for the models' training tests. */
final class OperatorTraining {
    private OperatorTraining() {
    }

    /** The losses before and after {@code steps} Adam steps: {first, last}. */
    static double[] darcyLosses(Module model, int samples, int n, int steps, double lr) {
        var data = Darcy.generate1d(new Generator(100), samples, n);
        Tensor x = data.a().sub(7.5).div(4.5).unsqueeze(1);       // a ∈ {3, 12} to ±1
        Tensor y = data.u().div(data.u().std()).unsqueeze(1);      // solutions of unit spread
        var opt = Optimizers.adam(model.namedParameters(), lr);
        double first = Double.NaN, last = Double.NaN;
        for (int s = 0; s <= steps; s++) {
            opt.zeroGrad();
            Tensor loss = Losses.mse(model.forward(x), y);
            if (s == 0) first = loss.item();
            last = loss.item();
            if (s == steps) break;
            loss.backward();
            opt.step();
        }
        return new double[] {first, last};
    }
}
