module.exports.hello = async (event) => ({ greeting: "hello", input: event });
