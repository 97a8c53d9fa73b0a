"""torch.optim.Adam on a few parameters of DCGAN-like shapes, for the test that checks our flat Adam against it: writes
the initial parameters, every step's gradients, and PyTorch's parameters and moments after the last step, all as raw
little-endian float32 in the parameters' order, and the shapes as shapes.txt.

    python3 tests/pytorch/adam_reference.py OUT STEPS LR BETA1 BETA2
"""
import os
import sys

import torch

out, steps, lr, beta1, beta2 = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
torch.manual_seed(11)
# A convolution's weight, a batch-norm's weight and bias, and a length that leaves a tail after any vector width.
shapes = [(16, 3, 4, 4), (16,), (16,), (4099,), (13, 7, 5, 5)]
parameters = [torch.nn.Parameter(torch.randn(shape) * 0.02) for shape in shapes]
initial = torch.cat([p.detach().flatten() for p in parameters])
optimizer = torch.optim.Adam(parameters, lr=lr, betas=(beta1, beta2))
gradients = []
for step in range(steps):
    # Gradients of changing scale, some near zero, as a GAN's are.
    scale = 10.0 ** torch.empty(1).uniform_(-4, 1).item()
    for p in parameters:
        p.grad = torch.randn(p.shape) * scale
    gradients.append(torch.cat([p.grad.flatten() for p in parameters]))
    optimizer.step()

os.makedirs(out, exist_ok=True)


def write(name, tensor):
    tensor.detach().to(torch.float32).contiguous().numpy().tofile(os.path.join(out, name))


write("initial.f32", initial)
write("gradients.f32", torch.stack(gradients))
write("parameters.f32", torch.cat([p.detach().flatten() for p in parameters]))
write("exp_avg.f32", torch.cat([optimizer.state[p]["exp_avg"].flatten() for p in parameters]))
write("exp_avg_sq.f32", torch.cat([optimizer.state[p]["exp_avg_sq"].flatten() for p in parameters]))
with open(os.path.join(out, "shapes.txt"), "w") as f:
    f.write("\n".join(" ".join(str(d) for d in shape) for shape in shapes) + "\n")
print(torch.__version__)
