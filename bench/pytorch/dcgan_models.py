"""The two architectures of grains/Core/Models, layer for layer, for timing the same step in PyTorch."""
import torch
from torch import nn
import torch.nn.functional as F

NZ = 100


class Dcgan64Generator(nn.Module):
    """PyTorch's reference DCGAN generator: nz 100, ngf 64, 4x4 transposed convolutions, batch norm, ReLU, tanh."""

    def __init__(self, ngf=64):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(NZ, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z.view(z.shape[0], z.shape[1], 1, 1))


class Dcgan64Discriminator(nn.Module):
    """ndf 64, 4x4 stride-2 convolutions, batch norm on all but the input layer, leaky ReLU 0.2, one logit."""

    def __init__(self, ndf=64):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(3, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 8), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False))

    def forward(self, images):
        return self.main(images).view(-1)


class Tutorial28Generator(nn.Module):
    """Dense z to 7x7x1024, then 5x5 transposed convolutions 1024→512→256→3 (7→7→14→28), batch norm, leaky ReLU
    0.2 and dropout 0.3 after every layer but the output, tanh."""

    def __init__(self, ngf=256, dropout=0.3):
        super().__init__()
        self.channels = ngf * 4
        self.dropout = dropout
        self.project = nn.Linear(NZ, 7 * 7 * self.channels)
        self.project_norm = nn.BatchNorm2d(self.channels)
        self.main = nn.Sequential(
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 5, stride=1, padding=2), nn.BatchNorm2d(ngf * 2), nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(ngf * 2, ngf, 5, stride=2, padding=2, output_padding=1), nn.BatchNorm2d(ngf), nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(ngf, 3, 5, stride=2, padding=2, output_padding=1), nn.Tanh())

    def forward(self, z):
        x = self.project(z).view(z.shape[0], self.channels, 7, 7)
        x = F.dropout(F.leaky_relu(self.project_norm(x), 0.2), self.dropout, self.training)
        for layer in self.main:
            x = layer(x)
            if isinstance(layer, nn.LeakyReLU):
                x = F.dropout(x, self.dropout, self.training)
        return x


class Tutorial28Discriminator(nn.Module):
    """5x5 stride-2 convolutions to 64, 128, 256 channels (28→14→7→4), batch norm on all but the input layer, leaky
    ReLU 0.2, dense to one logit."""

    def __init__(self, ndf=64):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(3, ndf, 5, stride=2, padding=2), nn.LeakyReLU(0.2),
            nn.Conv2d(ndf, ndf * 2, 5, stride=2, padding=2), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2),
            nn.Conv2d(ndf * 2, ndf * 4, 5, stride=2, padding=2), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2),
            nn.Flatten(), nn.Linear(4 * 4 * ndf * 4, 1))

    def forward(self, images):
        return self.main(images).view(-1)


MODELS = {
    # name: (generator, discriminator, image size, real label)
    "dcgan64": (Dcgan64Generator, Dcgan64Discriminator, 64, 1.0),
    "tutorial28": (Tutorial28Generator, Tutorial28Discriminator, 28, 0.9),
}


def initialise(module):
    """The DCGAN paper's initialisation, as grains/Core/Models/GanNetworks.cs does it."""
    for layer in module.modules():
        if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(layer.weight, 0.0, 0.02)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.BatchNorm2d):
            nn.init.normal_(layer.weight, 1.0, 0.02)
            nn.init.zeros_(layer.bias)


def build(model, device, ngf, ndf):
    """G and D at the widths given (the benchmark passes the ones our side trains), the image size and the real label."""
    make_g, make_d, size, real_label = MODELS[model]
    netG, netD = make_g(ngf=ngf).to(device), make_d(ndf=ndf).to(device)
    initialise(netG)
    initialise(netD)
    return netG, netD, size, real_label


def optimizers(netG, netD):
    return (torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999)),
            torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999)))


def peak_resident_bytes():
    """VmHWM of this process. Not getrusage's ru_maxrss: Linux carries that over exec from the forked parent, so a
    script started by the benchmark would report the benchmark's own size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def train_step(netG, netD, optD, optG, real, real_label):
    """One step in the order of PyTorch's DCGAN example and of AdversarialStep: D on real and on G(z) detached, D's
    Adam step, then G's non-saturating loss through the updated D and G's Adam step. BCE on logits."""
    batch = real.shape[0]
    netD.zero_grad()
    real_logits = netD(real)
    loss_real = F.binary_cross_entropy_with_logits(real_logits, torch.full((batch,), real_label, device=real.device))
    loss_real.backward()
    fake = netG(torch.randn(batch, NZ, device=real.device))
    loss_fake = F.binary_cross_entropy_with_logits(netD(fake.detach()), torch.zeros(batch, device=real.device))
    loss_fake.backward()
    optD.step()

    netG.zero_grad()
    loss_g = F.binary_cross_entropy_with_logits(netD(fake), torch.ones(batch, device=real.device))
    loss_g.backward()
    optG.step()
    return loss_real.item() + loss_fake.item(), loss_g.item()
