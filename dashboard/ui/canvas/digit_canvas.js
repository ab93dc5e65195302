// Draws white strokes on black, like MNIST; sends a PNG data URL when a stroke ends.
export default function(component) {
  const { setStateValue, parentElement } = component;
  const canvas = parentElement.querySelector("canvas");
  const clear = parentElement.querySelector("button");
  const context = canvas.getContext("2d");
  const blank = () => {
    context.fillStyle = "black";
    context.fillRect(0, 0, canvas.width, canvas.height);
  };
  blank();
  Object.assign(context, {strokeStyle: "white", lineWidth: 22, lineCap: "round",
                         lineJoin: "round"});
  let drawing = false;
  const at = (event) => {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * canvas.width / box.width,
            (event.clientY - box.top) * canvas.height / box.height];
  };
  canvas.onpointerdown = (event) => {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    const [x, y] = at(event);
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(x, y);
    context.stroke();
  };
  canvas.onpointermove = (event) => {
    if (!drawing) return;
    const [x, y] = at(event);
    context.lineTo(x, y);
    context.stroke();
  };
  canvas.onpointerup = () => {
    if (!drawing) return;
    drawing = false;
    setStateValue("drawing", canvas.toDataURL("image/png"));
  };
  clear.onclick = () => {
    blank();
    setStateValue("drawing", null);
  };
}
