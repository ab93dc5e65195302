import keras
import numpy as np
import pytest
from PIL import Image

from dashboard.core import conv_layers, image_figures
from dashboard.lessons.layer_hierarchy import hierarchy
from models.builders import build_cifar_cnn, build_small_cnn


@pytest.fixture(scope="module")
def cnn():
    return build_cifar_cnn(stages=(4, 8))


def test_feature_layers_are_the_relus_after_each_convolution(cnn):
    assert conv_layers.feature_layers(cnn) == ["relu_1_1", "relu_1_2", "relu_2_1", "relu_2_2"]
    assert conv_layers.feature_layers(build_small_cnn()) == ["conv_1", "conv_2"]


def test_receptive_fields_grow_by_kernel_and_pooling(cnn):
    fields = conv_layers.receptive_fields(cnn)
    # 3×3 convs: 3, 5; a 2×2 pool doubles the step: 6; then 3×3 convs add 4 each: 10, 14.
    assert [
        fields[name] for name in ("conv_1_1", "conv_1_2", "max_pool_1", "conv_2_1", "conv_2_2")
    ] == [3, 5, 6, 10, 14]
    assert fields["relu_2_2"] == fields["conv_2_2"]


def test_feature_maps_equal_the_layer_outputs(cnn):
    image = np.random.default_rng(0).integers(0, 256, (32, 32, 3)).astype(np.uint8)
    maps = conv_layers.feature_maps(cnn, image)
    assert maps["relu_1_1"].shape == (32, 32, 4) and maps["relu_2_2"].shape == (16, 16, 8)
    assert all((values >= 0).all() for values in maps.values())  # after ReLU
    import keras

    probe = keras.Model(cnn.input, cnn.get_layer("relu_2_1").output)
    np.testing.assert_allclose(
        maps["relu_2_1"],
        np.asarray(probe(image[None].astype("float32"), training=False))[0],
        rtol=1e-5,
        atol=1e-5,
    )
    assert list(conv_layers.strongest_channels(maps["relu_1_1"], 2)) == list(
        np.argsort(-maps["relu_1_1"].mean(axis=(0, 1)))[:2]
    )


def test_first_layer_filters_are_rgb_images(cnn):
    filters = conv_layers.first_layer_filters(cnn)
    assert filters.shape == (4, 3, 3, 3) and filters.dtype == np.uint8
    assert (filters.reshape(4, -1).min(axis=1) == 0).all()
    assert (filters.reshape(4, -1).max(axis=1) == 255).all()


def test_grad_cam_is_an_importance_map_over_the_image(cnn):
    image = np.random.default_rng(1).integers(0, 256, (32, 32, 3)).astype(np.uint8)
    heatmap, chosen = hierarchy.grad_cam(cnn, image)
    assert heatmap.shape == (32, 32)
    assert heatmap.min() >= 0 and heatmap.max() <= 1 + 1e-6
    probabilities = np.asarray(cnn(image[None].astype("float32"), training=False))[0]
    assert chosen == int(probabilities.argmax())
    _, other = hierarchy.grad_cam(cnn, image, class_index=3)
    assert other == 3


def test_grad_cam_weighs_the_maps_by_the_class_logit_not_its_probability():
    import keras

    inputs = keras.Input((4, 4, 3))
    maps = keras.layers.Conv2D(5, 1, activation="relu", name="conv")(inputs)
    pooled = keras.layers.GlobalAveragePooling2D()(maps)
    outputs = keras.layers.Dense(3, activation="softmax", name="output")(pooled)
    model = keras.Model(inputs, outputs)
    rng = np.random.default_rng(0)
    conv = rng.uniform(0.1, 1.0, (1, 1, 3, 5)).astype("float32")  # positive maps
    model.get_layer("conv").set_weights([conv, np.zeros(5, "float32")])
    kernel = rng.normal(size=(5, 3)).astype("float32")
    kernel[:, 1] = [1.0, -0.5, 0.8, -1.0, 0.3]  # a mix of signs: ReLU keeps part of the map
    model.get_layer("output").set_weights([kernel, np.array([0.0, -9.0, 0.0], "float32")])
    image = rng.uniform(0, 1, (4, 4, 3)).astype("float32")
    heatmap, chosen = hierarchy.grad_cam(model, image, class_index=1)

    # d logit_1 / d map[h, w, k] = W[k, 1] / 16 everywhere, so the map's weight is W[k, 1]:
    # the same whatever the class's (here tiny) probability, which would scale and mix it.
    feature_maps = np.asarray(keras.Model(inputs, maps)(image[None]))[0]
    expected = np.maximum(feature_maps @ kernel[:, 1], 0)
    assert chosen == 1 and expected.max() > 0
    np.testing.assert_allclose(heatmap, expected / expected.max(), atol=1e-5)


def test_uploads_become_centred_32_pixel_squares():
    picture = Image.new("RGBA", (120, 60), (255, 0, 0, 255))
    image = hierarchy.to_cifar_image(picture)
    assert image.shape == (32, 32, 3) and image.dtype == np.uint8
    assert tuple(image[16, 16]) == (255, 0, 0)


def test_rgb_grid_tiles_every_image():
    images = np.zeros((3, 2, 2, 3), np.uint8)
    images[1] = 200
    figure = image_figures.rgb_grid(images, ["a", "b", "c"], columns=2)
    mosaic = np.asarray(figure.data[0].z)
    assert mosaic.shape == (5, 5, 3)
    assert (mosaic[0:2, 3:5] == 200).all() and (mosaic[2] == 255).all()
    assert [note.text for note in figure.layout.annotations] == ["a", "b", "c"]


def test_feature_visualization_excites_its_centre_unit_beyond_grey_and_is_cropped(cnn):
    from dashboard.lessons.layer_hierarchy import feature_vis

    channels = np.array([0, 3])
    field = conv_layers.receptive_fields(cnn)["relu_2_1"]
    pictures = feature_vis.visualize(cnn, "relu_2_1", channels, steps=40)
    assert pictures.shape == (2, field, field, 3) and pictures.dtype == np.uint8
    full = feature_vis.visualize(cnn, "relu_2_1", channels, steps=40, seed=0)
    assert np.array_equal(full, pictures)  # seeded: the same pictures again
    before_relu = keras.Model(cnn.input, cnn.get_layer("relu_2_1").input)
    row, column = feature_vis.centre_field_origin(cnn, "relu_2_1")
    grey = np.full((1, 32, 32, 3), 128, np.float32)
    for picture, channel in zip(pictures, channels):
        image = grey.copy()  # the picture, pasted where it was made
        image[0, row : row + field, column : column + field] = picture
        excited, baseline = (np.asarray(before_relu(x))[0, 8, 8, channel] for x in (image, grey))
        assert excited > baseline


def test_the_spectrum_scale_weighs_low_frequencies_most():
    from dashboard.lessons.layer_hierarchy import feature_vis

    scale = feature_vis.spectrum_scale(32, 32)
    assert scale.shape == (32, 17)
    assert scale[0, 0] == scale.max() and scale[0, 1] > scale[0, 8] > scale[16, 16]


def test_top_patches_come_from_the_images_whose_interior_units_excite_a_channel_most(cnn):
    images = np.random.default_rng(2).integers(0, 100, (40, 32, 32, 3)).astype(np.uint8)
    patches, chosen = hierarchy.top_patches(cnn, images, "relu_2_1", np.array([1, 5]), count=4)
    field = conv_layers.receptive_fields(cnn)["relu_2_1"]
    assert patches.shape == (2, 4, field, field, 3) and chosen.shape == (2, 4)
    assert not (patches == 128).any()  # pixels are below 100: 128 would be padding's grey
    inside = hierarchy.interior_mask(cnn, images, "relu_2_1")
    assert 0 < inside.mean() < 1
    peaks = np.array(
        [conv_layers.feature_maps(cnn, image)["relu_2_1"][..., 5][inside].max() for image in images]
    )
    assert set(chosen[1]) == set(np.argsort(-peaks)[:4])


def test_interior_units_are_those_whose_field_fits_inside_the_image():
    inside = hierarchy.interior_units(32, 32, 5)  # one unit per pixel, a 5-pixel field
    assert not inside[:2].any() and not inside[-2:].any() and inside[2:-2].all()
    assert hierarchy.interior_units(8, 32, 34).all()  # a field wider than the image: all


def test_crops_are_grey_outside_the_image():
    image = np.full((8, 8, 3), 7, np.uint8)
    corner = hierarchy._crop(image, 0, 0, 5)
    assert corner.shape == (5, 5, 3)
    assert (corner[:2, :2] == 128).all() and (corner[2:, 2:] == 7).all()
