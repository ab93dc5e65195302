from dashboard.core.throttle import Throttle


def test_redraws_at_most_every_half_second_and_always_the_last_epoch():
    now = [0.0]
    throttle = Throttle(0.5, clock=lambda: now[0])
    drawn = []
    for epoch in range(1, 101):  # 100 epochs of 1/32 s (exact in binary): 3.1 s of training
        now[0] = epoch / 32
        if throttle.due(final=epoch == 100):
            drawn.append(epoch)
    assert drawn[0] == 1 and drawn[-1] == 100
    assert drawn == [1, 17, 33, 49, 65, 81, 97, 100]  # every 16 epochs (0.5 s), and the last


def test_slow_epochs_are_each_drawn():
    now = [0.0]
    throttle = Throttle(0.5, clock=lambda: now[0])
    drawn = 0
    for epoch in range(1, 11):
        now[0] = epoch * 0.8
        drawn += throttle.due()
    assert drawn == 10
