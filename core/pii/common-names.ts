/**
 * Small lists of common US first and last names (census and SSA top entries). They only raise
 * confidence for columns whose name already says "name", or flag a column made mostly of them;
 * they are not meant to recognise every name.
 */

/** Common given names, lower case. */
export const COMMON_FIRST_NAMES: ReadonlySet<string> = new Set(
  (
    'james john robert michael william david richard joseph thomas charles christopher daniel matthew ' +
    'anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason ' +
    'jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel ' +
    'gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas ' +
    'zachary peter kyle ethan walter noah jeremy christian keith roger terry gerald harold sean austin ' +
    'carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert willie alan juan ' +
    'wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis liam oliver lucas ' +
    'mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret ' +
    'sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca ' +
    'sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha ' +
    'katherine christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce ' +
    'virginia victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline ' +
    'martha gloria teresa ann sara madison frances kathryn janice jean abigail alice judy sophia grace ' +
    'denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany charlotte marie ' +
    'kayla alexis lori ava mia harper amelia'
  ).split(' '),
);

/** Common family names, lower case. */
export const COMMON_LAST_NAMES: ReadonlySet<string> = new Set(
  (
    'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez ' +
    'wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ' +
    'ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams ' +
    'nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker ' +
    'cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper ' +
    'peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james ' +
    'bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez ' +
    'powell jenkins perry russell sullivan bell coleman butler henderson barnes gonzales fisher vasquez ' +
    'simmons romero jordan patterson alexander hamilton graham reynolds griffin wallace moreno west cole ' +
    'hayes bryant herrera gibson ellis tran medina aguilar stevens murray ford castro marshall owens ' +
    'harrison fernandez mcdonald woods washington kennedy wells vargas henry chen freeman webb tucker ' +
    'guzman burns crawford olson simpson porter hunter gordon mendez silva shaw snyder mason dixon munoz ' +
    'hunt hicks holmes palmer wagner black robertson boyd rose stone salazar fox warren mills meyer rice ' +
    'schmidt garza daniels ferguson nichols stephens soto weaver ryan gardner payne grant dunn kelley'
  ).split(' '),
);
