"""DRAGAN (Kodali et al. 2017) with MLP nets on PacGAN's grid of 25 Gaussians.

    python train.py --config=configs/dragan_grid.py --workdir=/tmp/dragan_grid

The ring config's settings (configs/dragan_ring.py: lambda 1, k 1, the authors' uniform
perturbation around real data, Adam 1e-3 (0.5, 0.9) decayed to 0 over the second half) for 8k
steps instead of 6k. MEASURED (seed 0, 2,500 samples, PacGAN protocol, the run's per-epoch
coverage log): 25/25 modes, 91.7% high quality after 80 epochs (490 s on the 2-core machine
shared with three other trainings). Every 5 epochs: 15/2%, 18/2%, 23/5%, 22/13%, 25/17%, 20/18%,
25/50%, 25/38% (decay starts), 25/73%, 25/78%, 25/86%, 25/89%, 25/81%, 25/81%, 25/91%, 25/92%.
With the ring's 6k steps (decay from epoch 30) it peaked at 25/88% at epoch 52 and fell to
20/63% as the rate reached 0 (143 s idle); with a 2-d code and batch 512 (80 epochs) it ended
at 23-25 modes, 71-84%.

Check: pytest -q -s -m slow tests/models/test_loss_family_learning.py -k "dragan and grid".
"""

from configs import dragan_ring


def get_config():
    config = dragan_ring.get_config()
    del config.data["n_modes"], config.data["radius"]
    config.data.name = "gaussian_grid"
    config.data.side = 5
    config.data.spacing = 2.0
    config.data.std = 0.05
    config.train.epochs = 80  # 100 steps per epoch -> 8k steps
    config.train.decay_start_epoch = 40  # then linearly to 0
    return config
