(user, password) => {
  const name = document.querySelector('#name');
  const pass = document.querySelector('#password');
  const enter = document.querySelector('#enter');
  if (!name || !pass || !enter) throw new Error('no sign-in form on ' + location.href);
  name.value = user;
  pass.value = password;
  enter.click();
  return true;
}
